"""`onesource costing run|approve|runs`: recharge runs from the command line, acting as a named user."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.http import Http404
from tqdm import tqdm

from onesource.core.jobs import create_job, run_job_now
from onesource.core.models import User
from onesource.core.scoping import get_scoped_or_404
from onesource.costing import actions, ledger_import
from onesource.costing.models import RechargeRun


def _user(username: str) -> User:
    try:
        return User.objects.get(username=username, is_active=True)
    except User.DoesNotExist as exc:
        raise CommandError(f"No active user called {username!r}.") from exc


class Command(BaseCommand):
    help = "Recharge runs: build one for a financial year (as a job, with progress), approve one, list them."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="verb", required=True)
        run = sub.add_parser("run", help="Build a draft recharge run for a financial year.")
        run.add_argument("--year", type=int, required=True, help="The year it starts in: 2017 for 2017/18.")
        run.add_argument("--to-month", type=int, dest="up_to_month", help="Financial month 1 (April) to 12.")
        run.add_argument(
            "--estimate", action="store_true", help="An estimate, to be trued up by a final run."
        )
        run.add_argument("--method", default="", choices=["", "direct", "step_down", "reciprocal"])
        run.add_argument("--note", default="")
        run.add_argument("--as", dest="username", required=True, help="The finance officer building it.")
        approve = sub.add_parser("approve", help="Approve a draft run.")
        approve.add_argument("run_id", type=int)
        approve.add_argument("--as", dest="username", required=True, help="The finance officer approving it.")
        listing = sub.add_parser("runs", help="Recent runs the user may see.")
        listing.add_argument("--as", dest="username", required=True)
        listing.add_argument("--year", type=int)
        ledger_import.add_cli_arguments(sub)

    def handle(self, *args, verb: str, **options) -> None:
        user = _user(options["username"])
        if verb == "run":
            self._run(user, options)
        elif verb == "import-ledger":
            ledger_import.run_from_cli(self, user, options)
        elif verb == "approve":
            try:
                run = get_scoped_or_404(RechargeRun.objects.all(), user, pk=options["run_id"])
            except Http404 as exc:
                raise CommandError(f"No run {options['run_id']} that {user.username} may see.") from exc
            try:
                run = actions.approve_run(run, acting_user=user)
            except ValidationError as exc:
                raise CommandError(" ".join(exc.messages)) from exc
            self.stdout.write(
                self.style.SUCCESS(f"Approved run {run.pk}: {run}, £{run.check_out:,.2f} charged.")
            )
        else:
            runs = RechargeRun.objects.restrict(user)
            if options["year"]:
                runs = runs.filter(year=options["year"])
            for run in runs[:50]:
                self.stdout.write(f"{run.pk}\t{run}\t{run.status}\t{run.check_out}")

    def _run(self, user: User, options: dict) -> None:
        params = {
            "year": options["year"],
            "up_to_month": options["up_to_month"],
            "estimate": options["estimate"],
            "support_method": options["method"],
            "note": options["note"],
        }
        try:
            job = create_job("costing.recharge_run", params, acting_user=user)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        bar = tqdm(total=0, unit="step", file=self.stderr._out)

        def show(done: int, total: int, message: str) -> None:
            bar.total, bar.n = total, done
            bar.set_description(message[:40])
            bar.refresh()

        job = run_job_now(job, show)
        bar.close()
        if job.status != "succeeded":
            raise CommandError(f"{job.message} {' '.join(map(str, job.errors))}".strip())
        self.stdout.write(self.style.SUCCESS(f"Run {job.result['run_id']}: {job.message}"))
