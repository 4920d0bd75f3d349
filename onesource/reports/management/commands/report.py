import datetime as dt
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from onesource.core.models import Partner, User
from onesource.reports.committee import committee_pdf


def iso_date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError as exc:
        raise CommandError(f"{text!r} is not a date: use YYYY-MM-DD.") from exc


class Command(BaseCommand):
    help = "Reports: the committee report for one partner and period, as a PDF."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="verb", required=True)
        committee = sub.add_parser(
            "committee", help="Write the committee report for a partner and period as PDF."
        )
        committee.add_argument("--partner", required=True, help="Partner code, like HAV.")
        committee.add_argument("--from", dest="start", required=True, help="First day, YYYY-MM-DD.")
        committee.add_argument("--to", dest="end", required=True, help="Last day, YYYY-MM-DD.")
        committee.add_argument("-o", "--output", required=True, type=Path, help="The PDF file to write.")
        committee.add_argument(
            "--as",
            dest="username",
            help="Produce it as this user, with their scoping (default: the first active superuser).",
        )

    def handle(self, *args, verb: str, **options) -> None:
        start, end = iso_date(options["start"]), iso_date(options["end"])
        if start > end:
            raise CommandError("--to must be the same as or after --from.")
        username = options["username"]
        if username:
            user = User.objects.filter(username=username, is_active=True).first()
        else:
            user = User.objects.filter(is_superuser=True, is_active=True).order_by("pk").first()
        if user is None:
            raise CommandError(
                f"No active user {username!r}." if username else "No active superuser: use --as."
            )
        code = options["partner"].upper()
        partner = Partner.objects.restrict(user, "view_reports").filter(code=code).first()
        if partner is None:
            raise CommandError(f"No partner {code!r} whose reports {user.username} may see.")
        pdf, report = committee_pdf(partner, start, end, user)
        output: Path = options["output"]
        output.write_bytes(pdf)
        titles = ", ".join(s.title for s in report.sections)
        self.stdout.write(self.style.SUCCESS(f"Wrote {output} ({len(pdf):,} bytes): {titles}."))
