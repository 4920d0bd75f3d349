"""`onesource costing run|sign-off|reject|approve|runs`: recharge runs from the command line."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.http import Http404

from onesource.core.cli_support import acting_user, run_with_progress, start_job
from onesource.core.models import Partner, User
from onesource.core.scoping import get_scoped_or_404
from onesource.costing import actions, ledger_import
from onesource.costing.models import RechargeRun
from onesource.costing.visibility import own_share, sees_partnership_totals


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
        sign = sub.add_parser(
            "sign-off", help="Sign off your council's statement in a run (the last sign-off approves it)."
        )
        sign.add_argument("run_id", type=int)
        sign.add_argument("--partner", required=True, help="The council's code, like HAV.")
        sign.add_argument("--comment", default="")
        sign.add_argument("--as", dest="username", required=True, help="The council's finance officer.")
        reject = sub.add_parser("reject", help="Reject your council's statement in a run, with a reason.")
        reject.add_argument("run_id", type=int)
        reject.add_argument("--partner", required=True, help="The council's code, like HAV.")
        reject.add_argument("--reason", required=True)
        reject.add_argument("--as", dest="username", required=True, help="The council's finance officer.")
        approve = sub.add_parser(
            "approve",
            help="Approve a draft run every member has signed off (normally the last sign-off does).",
        )
        approve.add_argument("run_id", type=int)
        approve.add_argument("--as", dest="username", required=True, help="Shared-service finance.")
        listing = sub.add_parser("runs", help="Recent runs the user may see.")
        listing.add_argument("--as", dest="username", required=True)
        listing.add_argument("--year", type=int)
        ledger_import.add_cli_arguments(sub)

    def handle(self, *args, verb: str, **options) -> None:
        user = acting_user(options["username"], required=True)
        if verb == "run":
            self._run(user, options)
        elif verb == "import-ledger":
            ledger_import.run_from_cli(self, user, options)
        elif verb in ("approve", "sign-off", "reject"):
            self._decide(user, verb, options)
        else:
            runs = RechargeRun.objects.restrict(user)
            if options["year"]:
                runs = runs.filter(year=options["year"])
            everyone = sees_partnership_totals(user)
            # A council's users see their own share: the partnership's total would give away the others'.
            self.stdout.write("Run\tName\tStatus\t" + ("Charged in all" if everyone else "Your share"))
            for run in runs[:50]:
                amount = run.check_out if everyone else own_share(run, user)
                self.stdout.write(f"{run.pk}\t{run}\t{run.get_status_display()}\t{amount:,.2f}")

    def _decide(self, user: User, verb: str, options: dict) -> None:
        try:
            run = get_scoped_or_404(RechargeRun.objects.all(), user, pk=options["run_id"])
            partner = (
                get_scoped_or_404(Partner.objects.all(), user, code=options["partner"].upper())
                if verb != "approve"
                else None
            )
        except Http404 as exc:
            raise CommandError(f"No such run or partner that {user.username} may see.") from exc
        try:
            if verb == "approve":
                run = actions.approve_run(run, acting_user=user)
                message = f"Approved run {run.pk}: {run}."
            elif verb == "sign-off":
                assert partner is not None
                actions.sign_off_statement(run, partner, comment=options["comment"], acting_user=user)
                run = RechargeRun.objects.get(pk=run.pk)
                message = f"Signed off {partner.name}'s statement in run {run.pk}: {run}."
                if not run.is_draft:
                    message += " Every member has signed: the run is approved."
            else:
                assert partner is not None
                actions.reject_statement(run, partner, reason=options["reason"], acting_user=user)
                message = f"Rejected {partner.name}'s statement in run {run.pk}: {run} cannot be approved."
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        self.stdout.write(self.style.SUCCESS(message))

    def _run(self, user: User, options: dict) -> None:
        params = {
            "year": options["year"],
            "up_to_month": options["up_to_month"],
            "estimate": options["estimate"],
            "support_method": options["method"],
            "note": options["note"],
        }
        job = start_job("costing.recharge_run", params, acting_user=user)
        job = run_with_progress(job, unit="step", stream=self.stderr._out)
        if job.status != "succeeded":
            raise CommandError(f"{job.message} {' '.join(map(str, job.errors))}".strip())
        self.stdout.write(self.style.SUCCESS(f"Run {job.result['run_id']}: {job.message}"))
