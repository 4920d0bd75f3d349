from django.apps import AppConfig


class PerformanceConfig(AppConfig):
    name = "onesource.performance"
    label = "performance"
    verbose_name = "Performance framework"
    url_prefix = "performance/"
    # Items this app adds to the header's service navigation: (label, url name, capability).
    navigation: list[tuple[str, str, str]] = [
        ("KPIs", "performance:kpi-list", "view"),
        ("Scorecards", "performance:scorecard-index", "view"),
        ("Achievements", "performance:achievement-list", "view"),
    ]
    navigation_label = "Performance"
    navigation_order = 60

    def ready(self) -> None:
        from onesource.performance import audit_registry, jobs, report, tasks  # noqa: F401
