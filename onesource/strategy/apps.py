from django.apps import AppConfig


class StrategyConfig(AppConfig):
    name = "onesource.strategy"
    label = "strategy"
    verbose_name = "Strategy and programme"
    url_prefix = "strategy/"
    # Items this app adds to the header's service navigation: (label, url name, capability).
    navigation: list[tuple[str, str, str]] = [("Strategy", "strategy:strategy-list", "view")]
    navigation_order = 50

    def ready(self) -> None:
        from onesource.strategy import audit_registry, report  # noqa: F401
