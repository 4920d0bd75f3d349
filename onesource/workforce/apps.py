from django.apps import AppConfig


class WorkforceConfig(AppConfig):
    name = "onesource.workforce"
    label = "workforce"
    verbose_name = "Workforce"
    url_prefix = "workforce/"
    # Items this app adds to the header's service navigation: (label, url name, capability).
    navigation: list[tuple[str, str, str]] = [
        ("Dashboard", "workforce:dashboard", "view"),
        ("Posts", "workforce:post-list", "view"),
        ("Employees", "workforce:employee-list", "view"),
        ("Transparency data", "workforce:transparency", "view"),
        ("Import", "workforce:import-upload", "manage_workforce"),
    ]
    navigation_label = "Workforce"
    navigation_order = 20

    def ready(self) -> None:
        from onesource.workforce import audit_registry, drivers, imports, named_figures, reporting, tasks  # noqa: F401
