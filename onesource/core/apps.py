from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "onesource.core"
    label = "core"
    verbose_name = "Partnership core"
    # Items this app adds to the header's service navigation: (label, url name, capability).
    navigation = [
        ("Partners", "core:partner-list", "view"),
        ("Services", "core:service-list", "view"),
        ("Coverage", "core:coverage-list", "view"),
        ("Jobs", "core:job-list", "run_jobs"),
        ("Audit trail", "core:audit-list", "view_audit"),
    ]
    navigation_order = 0
    api_prefix = "/"

    def ready(self) -> None:
        from onesource.core import audit_registry, job_tasks, jobs_builtin  # noqa: F401
        from onesource.core.models import Membership, Partner, Service, ServiceArea, ServiceCoverage
        from onesource.core.versions import track_data_version

        # Who the partners are, their services and when they had them: what cost shares are worked out
        # from and what statements name.
        track_data_version("partnership", Partner, Membership, ServiceArea, Service, ServiceCoverage)
