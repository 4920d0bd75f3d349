from django.apps import AppConfig


class StrategyConfig(AppConfig):
    name = "onesource.strategy"
    label = "strategy"
    verbose_name = "Strategy and programme"
    url_prefix = "strategy/"
    # Items this app adds to the header's service navigation: (label, url name, capability).
    navigation: list[tuple[str, str, str]] = []
    navigation_order = 50
