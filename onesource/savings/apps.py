from django.apps import AppConfig


class SavingsConfig(AppConfig):
    name = "onesource.savings"
    label = "savings"
    verbose_name = "Savings"
    url_prefix = "savings/"
    # Items this app adds to the header's service navigation: (label, url name, capability).
    navigation: list[tuple[str, str, str]] = [
        ("Dashboard", "savings:dashboard", "view"),
        ("Business cases", "savings:case-list", "view"),
        ("Savings lines", "savings:line-list", "view"),
    ]
    navigation_label = "Savings"
    navigation_order = 40

    def ready(self) -> None:
        from onesource.savings import audit_registry, report  # noqa: F401
