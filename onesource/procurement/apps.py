from django.apps import AppConfig


class ProcurementConfig(AppConfig):
    name = "onesource.procurement"
    label = "procurement"
    verbose_name = "Procurement"
    url_prefix = "procurement/"
    # Items this app adds to the header's service navigation: (label, url name, capability).
    navigation: list[tuple[str, str, str]] = [
        ("Contract register", "procurement:dashboard", "view"),
        ("Contracts", "procurement:contract-list", "view"),
        ("Suppliers", "procurement:supplier-list", "view"),
        ("Supplier matches", "procurement:supplier-matches", "manage_procurement"),
        ("Spend", "procurement:spend-import-list", "view"),
        ("Joint procurement", "procurement:joint", "view"),
        ("Transparency Code", "procurement:transparency", "view"),
    ]
    navigation_label = "Procurement"
    navigation_order = 45

    def ready(self) -> None:
        from onesource.procurement import audit_registry, jobs, reporting  # noqa: F401
