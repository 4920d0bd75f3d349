from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "onesource.reports"
    label = "reports"
    verbose_name = "Reports"
    url_prefix = "reports/"
    # Items this app adds to the header's service navigation: (label, url name, capability).
    navigation: list[tuple[str, str, str]] = [("Reports", "reports:index", "view_reports")]
    navigation_order = 70

    def ready(self) -> None:
        from onesource.reports import audit_registry, background, jobs  # noqa: F401
