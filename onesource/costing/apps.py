from django.apps import AppConfig


class CostingConfig(AppConfig):
    name = "onesource.costing"
    label = "costing"
    verbose_name = "Cost sharing and recharging"
    url_prefix = "costing/"
    # Items this app adds to the header's service navigation: (label, url name, capability).
    navigation: list[tuple[str, str, str]] = [("Recharging", "costing:run-list", "view")]
    navigation_order = 30

    def ready(self) -> None:
        from onesource.costing import audit_registry, drivers, figures, jobs, ledger_import, shares, tasks  # noqa: F401
