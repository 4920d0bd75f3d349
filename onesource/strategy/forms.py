from django import forms
from django.apps import apps

from onesource.core.forms_base import DateInput, GovukForm
from onesource.core.models import Service
from onesource.strategy.models import RAG, MilestoneStatus, ProjectKind, ProjectStatus, Strategy


class StrategyForm(GovukForm):
    code = forms.SlugField(
        max_length=40, help_text="Lower case letters, numbers and hyphens, like strategy-2020-23."
    )
    name = forms.CharField(max_length=200)
    starts_on = forms.DateField(label="Starts on", widget=DateInput())
    ends_on = forms.DateField(label="Ends on", widget=DateInput())
    launched_on = forms.DateField(label="Launched on", required=False, widget=DateInput())
    vision = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)


class StrategicPriorityForm(GovukForm):
    number = forms.IntegerField(
        min_value=1, max_value=99, help_text="Its place in the strategy's list, like 1."
    )
    title = forms.CharField(max_length=300)
    description = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)


class PhaseForm(GovukForm):
    number = forms.IntegerField(min_value=1, max_value=99, help_text="Phases run in number order, from 1.")
    name = forms.CharField(max_length=200, help_text="Like 2021-22.")
    starts_on = forms.DateField(label="Starts on", widget=DateInput())
    ends_on = forms.DateField(label="Ends on", widget=DateInput())


class ProjectForm(GovukForm):
    code = forms.SlugField(
        max_length=40, help_text="Lower case letters, numbers and hyphens, like fusion-optimisation."
    )
    name = forms.CharField(max_length=200)
    kind = forms.ChoiceField(choices=ProjectKind.choices)
    phase: forms.ModelChoiceField = forms.ModelChoiceField(
        queryset=None, required=False, label="Phase of the activity plan"
    )
    service = forms.ModelChoiceField(
        queryset=Service.objects.none(),
        required=False,
        help_text="Leave blank for work across the shared service.",
    )
    lead = forms.CharField(max_length=200, required=False)
    starts_on = forms.DateField(label="Starts on", widget=DateInput())
    ends_on = forms.DateField(label="Ends on", widget=DateInput())
    status = forms.ChoiceField(choices=ProjectStatus.choices)
    rag = forms.ChoiceField(label="RAG", choices=RAG.choices)
    rag_reason = forms.CharField(
        label="Reason for the RAG",
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        help_text="Needed when the project is red or amber.",
    )
    is_key_deliverable = forms.BooleanField(required=False, label="A key deliverable of the strategy")
    is_critical_enabler = forms.BooleanField(required=False, label="A critical enabler")
    strategic_priorities: forms.ModelMultipleChoiceField = forms.ModelMultipleChoiceField(
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Strategic priorities it serves",
    )
    savings_lines: forms.ModelMultipleChoiceField = forms.ModelMultipleChoiceField(
        queryset=None,
        required=False,
        label="Savings it delivers",
        help_text="Hold Ctrl (or Cmd) to choose more than one.",
        widget=forms.SelectMultiple(attrs={"class": "govuk-select", "size": 6}),
    )
    description = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)

    def __init__(self, *args, strategy: Strategy, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["phase"].queryset = strategy.phases.all()  # type: ignore[attr-defined]
        self.fields["strategic_priorities"].queryset = strategy.priorities.all()  # type: ignore[attr-defined]
        self.fields["service"].queryset = Service.objects.restrict(user, "manage_performance")  # type: ignore[attr-defined]
        # Savings lines are read through the model registry: strategy imports none of the savings app's code.
        savings_line = apps.get_model("savings", "SavingsLine")
        self.fields["savings_lines"].queryset = savings_line.objects.restrict(user).order_by("reference")  # type: ignore[attr-defined]


class MilestoneForm(GovukForm):
    name = forms.CharField(max_length=200)
    due_on = forms.DateField(label="Due on", widget=DateInput())
    status = forms.ChoiceField(choices=MilestoneStatus.choices)
    completed_on = forms.DateField(label="Completed on", required=False, widget=DateInput())


class ServicePriorityForm(GovukForm):
    service = forms.ModelChoiceField(queryset=Service.objects.none())
    plan_year = forms.IntegerField(
        min_value=2000, max_value=2100, label="Service plan year", help_text="2021 means 2021/22."
    )
    title = forms.CharField(max_length=300)
    description = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)
    strategic_priorities: forms.ModelMultipleChoiceField = forms.ModelMultipleChoiceField(
        queryset=None, widget=forms.CheckboxSelectMultiple, label="Strategic priorities it serves"
    )

    def __init__(self, *args, strategy: Strategy, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["strategic_priorities"].queryset = strategy.priorities.all()  # type: ignore[attr-defined]
        self.fields["service"].queryset = Service.objects.restrict(user, "manage_performance")  # type: ignore[attr-defined]
