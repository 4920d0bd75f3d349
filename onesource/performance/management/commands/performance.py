from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from onesource.core.cli_support import acting_user, run_with_progress, start_job
from onesource.core.models import User


class Command(BaseCommand):
    help = "The performance framework: import KPI results from CSV; compute the results of computed KPIs."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="verb", required=True)
        imp = sub.add_parser(
            "import-kpis",
            help="Import KPI results (columns kpi, partner, period, value, note); all or nothing.",
        )
        imp.add_argument("file", type=Path)
        imp.add_argument("--dry-run", action="store_true", help="Check the file and count; write nothing.")
        imp.add_argument(
            "--as",
            dest="username",
            help="The user the import acts for (default: the first active superuser).",
        )
        self.add_compute_arguments(sub)

    def handle(self, *args, verb: str, **options) -> None:
        user = acting_user(options["username"])
        if verb == "compute-kpis":
            self._run(
                user, "performance.compute_kpis", {"from_month": options["start"], "to_month": options["end"]}
            )
            return
        path: Path = options["file"]
        try:
            text = path.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as exc:
            raise CommandError(f"Cannot read {path}: {exc}") from exc
        self._run(
            user,
            "performance.import_kpis",
            {"csv_text": text, "dry_run": options["dry_run"], "file_name": path.name},
        )

    def _run(self, user: User, kind: str, params: dict) -> None:
        job = run_with_progress(start_job(kind, params, acting_user=user), stream=self.stderr._out)
        if job.status != "succeeded":
            for error in job.errors:
                self.stderr.write(str(error))
            raise CommandError(job.message)
        self.stdout.write(self.style.SUCCESS(job.message))

    def add_compute_arguments(self, sub) -> None:
        compute = sub.add_parser(
            "compute-kpis",
            help="Compute the results of KPIs defined by a named figure (such as sickness days per FTE).",
        )
        compute.add_argument("--from", dest="start", required=True, help="First month, YYYY-MM.")
        compute.add_argument("--to", dest="end", required=True, help="Last month, YYYY-MM.")
        compute.add_argument("--as", dest="username", help="The user it acts for (default: first superuser).")
