from django.apps import AppConfig


class HrConfig(AppConfig):
    name = "onesource.hr"
    label = "hr"
    verbose_name = "HR casework"
    url_prefix = "hr/"
    # Items this app adds to the header's service navigation: (label, url name, capability).
    navigation: list[tuple[str, str, str]] = []
    navigation_label = "Casework"
    navigation_order = 35

    def ready(self) -> None:
        from onesource.hr import audit_registry, report, tasks  # noqa: F401
