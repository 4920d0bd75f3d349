import json

from django.core.management.base import BaseCommand, CommandError, CommandParser

from onesource.core.audit_display import govuk_datetime, person_name
from onesource.core.cli_support import acting_user, run_with_progress, start_job
from onesource.core.jobs import JOB_KINDS, job_progress
from onesource.core.models import Job, Partner


class Command(BaseCommand):
    help = "Jobs: list kinds, run one here with a progress bar, or show recent jobs."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="verb", required=True)
        sub.add_parser("kinds", help="The kinds of job this installation can run.")
        run = sub.add_parser("run", help="Run a job now, in this process, with a progress bar.")
        run.add_argument("kind")
        run.add_argument("--as", dest="username", required=True, help="The user the job acts for.")
        run.add_argument("--partner", help="Partner code, for a job about one partner's data.")
        run.add_argument(
            "--param", action="append", default=[], metavar="NAME=VALUE", help="A parameter (JSON value)."
        )
        listing = sub.add_parser("list", help="Recent jobs.")
        listing.add_argument("--limit", type=int, default=20)

    def handle(self, *args, verb: str, **options) -> None:
        if verb == "kinds":
            for kind in sorted(JOB_KINDS.values(), key=lambda k: k.name):
                self.stdout.write(f"{kind.name}\t{kind.label}")
        elif verb == "list":
            # In words, as on the jobs page: the id is kept, first, because `jobs` commands take it.
            for job in Job.objects.select_related("created_by")[: options["limit"]]:
                progress = job_progress(job)
                kind_label = JOB_KINDS[job.kind].label if job.kind in JOB_KINDS else job.kind
                self.stdout.write(
                    "\t".join(
                        [
                            str(job.pk),
                            kind_label,
                            job.get_status_display(),
                            f"{progress['done']} of {progress['total']}",
                            person_name(job.created_by) if job.created_by else "",
                            govuk_datetime(job.created_at),
                            job.message,
                        ]
                    )
                )
        else:
            self._run(options)

    def _run(self, options: dict) -> None:
        user = acting_user(options["username"], required=True)
        partner = None
        if options["partner"]:
            partner = Partner.objects.restrict(user).filter(code=options["partner"].upper()).first()
            if partner is None:
                raise CommandError(f"No partner {options['partner']!r} that {user.username} may see.")
        params = {}
        for item in options["param"]:
            name, _, value = item.partition("=")
            try:
                params[name] = json.loads(value)
            except json.JSONDecodeError:
                params[name] = value

        job = start_job(options["kind"], params, partner=partner, acting_user=user)
        job = run_with_progress(job, unit="step", stream=self.stderr._out)
        if job.status != "succeeded":
            raise CommandError(f"{job.message} {' '.join(map(str, job.errors))}".strip())
        self.stdout.write(self.style.SUCCESS(job.message))
        if job.output:
            self.stdout.write(
                f"Output: {job.output.path if hasattr(job.output, 'path') else job.output.name}"
            )
