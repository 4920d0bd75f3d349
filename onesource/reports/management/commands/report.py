import datetime as dt
from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from onesource.core.cli_support import acting_user
from onesource.core.models import Partner, User
from onesource.core.reporting import REPORT_SECTIONS
from onesource.reports import actions
from onesource.reports.committee import (
    CommitteeReport,
    build_committee_report,
    render_pdf,
    report_for_version,
)
from onesource.reports.word import render_docx


def iso_date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError as exc:
        raise CommandError(f"{text!r} is not a date: use YYYY-MM-DD.") from exc


def _report_arguments(parser: CommandParser) -> None:
    parser.add_argument("--partner", required=True, help="Partner code, like HAV.")
    parser.add_argument("--from", dest="start", required=True, help="First day, YYYY-MM-DD.")
    parser.add_argument("--to", dest="end", required=True, help="Last day, YYYY-MM-DD.")
    parser.add_argument(
        "--as",
        dest="username",
        help="Act as this user, with their scoping (default: the first active superuser).",
    )


class Command(BaseCommand):
    # The system checks import every URL and API module (over a second) and are `onesource check`'s job.
    requires_system_checks: list[str] = []
    help = (
        "Reports: the committee report for one partner and period as PDF or Word; commentary per "
        "section; finalising; saved versions."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="verb", required=True)
        committee = sub.add_parser(
            "committee",
            help="Write the committee report as PDF, or as a Word document when the file ends in .docx.",
        )
        _report_arguments(committee)
        committee.add_argument(
            "-o", "--output", required=True, type=Path, help="The file to write: .pdf or .docx."
        )
        committee.add_argument(
            "--version", type=int, help="A saved version's number (default: today's report with the draft)."
        )
        commentary = sub.add_parser(
            "commentary", help="Set (or, with empty text, remove) a section's commentary."
        )
        _report_arguments(commentary)
        commentary.add_argument("--section", required=True, help="The section's key, like finance.")
        text = commentary.add_mutually_exclusive_group(required=True)
        text.add_argument("--text", help="The commentary.")
        text.add_argument("--file", type=Path, help="A text file holding the commentary.")
        finalise = sub.add_parser("finalise", help="Finalise the draft: a final version cannot be changed.")
        _report_arguments(finalise)
        versions = sub.add_parser("versions", help="List the saved versions.")
        _report_arguments(versions)

    def handle(self, *args: Any, verb: str, **options: Any) -> None:
        start, end = iso_date(options["start"]), iso_date(options["end"])
        if start > end:
            raise CommandError("--to must be the same as or after --from.")
        user = acting_user(options["username"])
        code = options["partner"].upper()
        partner = Partner.objects.restrict(user, "view_reports").filter(code=code).first()
        if partner is None:
            raise CommandError(f"No partner {code!r} whose reports {user.username} may see.")
        try:
            getattr(self, f"_{verb}")(partner, start, end, user, options)
        except PermissionDenied as exc:
            raise CommandError(str(exc)) from exc
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc

    def _committee(self, partner: Partner, start: dt.date, end: dt.date, user: User, options: dict) -> None:
        versions = actions.versions_of(partner, start, end, user)
        report: CommitteeReport
        if options["version"] is not None:
            version = next((v for v in versions if v.number == options["version"]), None)
            if version is None:
                raise CommandError(f"No version {options['version']} of this report.")
            report = report_for_version(version, user, for_print=True)
        else:
            commentary = dict(versions[0].commentary) if versions else {}
            report = build_committee_report(partner, start, end, user, for_print=True, commentary=commentary)
        output: Path = options["output"]
        content = render_docx(report) if output.suffix.lower() == ".docx" else render_pdf(report)
        output.write_bytes(content)
        titles = ", ".join(s.title for s in report.sections)
        self.stdout.write(self.style.SUCCESS(f"Wrote {output} ({len(content):,} bytes): {titles}."))

    def _commentary(self, partner: Partner, start: dt.date, end: dt.date, user: User, options: dict) -> None:
        text = options["text"] if options["text"] is not None else options["file"].read_text(encoding="utf-8")
        draft = actions.save_commentary(
            partner, start, end, section_key=options["section"], text=text, acting_user=user
        )
        self.stdout.write(self.style.SUCCESS(f"Commentary saved in draft version {draft.number}."))

    def _finalise(self, partner: Partner, start: dt.date, end: dt.date, user: User, options: dict) -> None:
        version = actions.finalise_report(partner, start, end, acting_user=user)
        self.stdout.write(
            self.style.SUCCESS(f"Version {version.number} is final, finalised by {version.finalised_by}.")
        )

    def _versions(self, partner: Partner, start: dt.date, end: dt.date, user: User, options: dict) -> None:
        versions = actions.versions_of(partner, start, end, user)
        if not versions:
            self.stdout.write("No saved versions.")
        for v in versions:
            if v.is_final and v.finalised_at:
                state = f"final, finalised by {v.finalised_by} on {v.finalised_at:%-d %B %Y %H:%M}"
            else:
                state = "draft"
            sections = ", ".join(
                REPORT_SECTIONS[key].title if key in REPORT_SECTIONS else key for key in sorted(v.commentary)
            )
            sections = sections or "no section"
            self.stdout.write(f"Version {v.number}: {state}; commentary on: {sections}")
