import django_filters
from django.db.models import Q

from onesource.core.models import Partner
from onesource.procurement.models import Contract, ContractStatus, Procedure, SpendImport, Supplier


class ContractFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label="Reference, title or supplier")
    partner = django_filters.ModelChoiceFilter(
        queryset=Partner.objects.none(),
        to_field_name="code",
        method="used_by",
        label="Used by",
        empty_label="Any",
    )
    status = django_filters.ChoiceFilter(choices=ContractStatus.choices, empty_label="Any status")
    procedure = django_filters.ChoiceFilter(choices=Procedure.choices, empty_label="Any procedure")
    ends_before = django_filters.DateFilter(field_name="ends_on", lookup_expr="lte", label="Ending by")

    class Meta:
        model = Contract
        fields = ["q", "partner", "status", "procedure", "ends_before"]

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, request=request, **kwargs)
        self.filters["partner"].queryset = Partner.objects.restrict(getattr(request, "user", None))  # type: ignore[attr-defined]

    def search(self, queryset, name, value):
        return queryset.filter(
            Q(reference__icontains=value) | Q(title__icontains=value) | Q(supplier__name__icontains=value)
        )

    def used_by(self, queryset, name, value):
        return queryset.filter(Q(lead_partner=value) | Q(shares__partner=value)).distinct()


class SupplierFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label="Name, other name or registration")
    is_sme = django_filters.BooleanFilter(label="SME")
    is_vcse = django_filters.BooleanFilter(label="VCSE")

    class Meta:
        model = Supplier
        fields = ["q", "is_sme", "is_vcse"]

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, request=request, **kwargs)

    def search(self, queryset, name, value):
        return queryset.filter(
            Q(name__icontains=value)
            | Q(aliases__name__icontains=value)
            | Q(companies_house_number=value.upper())
            | Q(vat_number__icontains=value)
        ).distinct()


class SpendImportFilter(django_filters.FilterSet):
    partner = django_filters.ModelChoiceFilter(
        queryset=Partner.objects.none(), to_field_name="code", label="Partner", empty_label="Any"
    )

    class Meta:
        model = SpendImport
        fields = ["partner"]

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, request=request, **kwargs)
        self.filters["partner"].queryset = Partner.objects.restrict(getattr(request, "user", None))  # type: ignore[attr-defined]
