"""onesource calendar: working days (England and Wales bank holidays and each partner's closure days).

onesource calendar add-working-days DATE N [--partner CODE]   last day of N working days beginning with DATE
onesource calendar working-days FROM TO [--partner CODE]      working days from FROM to TO, both counted
onesource calendar closures --partner CODE [--as USERNAME]    a partner's closure days
onesource calendar add-closure DATE REASON --partner CODE --as USERNAME
onesource calendar remove-closure DATE --partner CODE --as USERNAME
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from onesource.core import actions
from onesource.core.cli_support import acting_user
from onesource.core.models import ClosureDay, Partner, User
from onesource.core.roles import Capability
from onesource.core.scoping import scope_for
from onesource.core.workingdays import WorkingCalendar, calendar_for_code


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError as exc:
        raise CommandError(f"{text!r} is not a date: give it as YYYY-MM-DD, like 2025-12-22.") from exc


class Command(BaseCommand):
    help = "Working days: England and Wales bank holidays plus each partner's closure days."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="verb", required=True)
        add = sub.add_parser("add-working-days", help="The last day of N working days beginning with DATE.")
        add.add_argument("date")
        add.add_argument("days", type=int)
        add.add_argument("--partner", help="Also skip this partner's closure days.")
        count = sub.add_parser("working-days", help="Working days from FROM to TO, both days counted.")
        count.add_argument("first")
        count.add_argument("last")
        count.add_argument("--partner", help="Also skip this partner's closure days.")
        listing = sub.add_parser("closures", help="A partner's closure days.")
        listing.add_argument("--partner", required=True)
        listing.add_argument("--as", dest="username")
        add_closure = sub.add_parser("add-closure", help="Add a closure day for a partner.")
        add_closure.add_argument("date")
        add_closure.add_argument("reason")
        add_closure.add_argument("--partner", required=True)
        add_closure.add_argument("--as", dest="username", required=True)
        remove = sub.add_parser("remove-closure", help="Remove a partner's closure day.")
        remove.add_argument("date")
        remove.add_argument("--partner", required=True)
        remove.add_argument("--as", dest="username", required=True)

    def handle(self, *args: Any, verb: str, **options: Any) -> None:
        if verb == "add-working-days":
            if options["days"] < 0:
                raise CommandError("Give a number of working days of 0 or more.")
            calendar = self._calendar(options["partner"])
            self.stdout.write(calendar.add_working_days(_date(options["date"]), options["days"]).isoformat())
        elif verb == "working-days":
            first, last = _date(options["first"]), _date(options["last"])
            if last < first:
                raise CommandError("TO is before FROM.")
            self.stdout.write(str(self._calendar(options["partner"]).working_days(first, last)))
        elif verb == "closures":
            user = acting_user(options["username"])
            partner = self._partner(options["partner"], user)
            for closure in ClosureDay.objects.restrict(user).filter(partner=partner):
                self.stdout.write(f"{closure.date.isoformat()}  {closure.reason}")
        else:
            user = acting_user(options["username"])
            partner = self._partner(options["partner"], user)
            if not scope_for(user).has(Capability.MANAGE_PARTNERSHIP, partner.pk):
                raise CommandError(f"{user.username} may not change {partner.code}'s calendar.")
            day = _date(options["date"])
            try:
                if verb == "add-closure":
                    actions.add_closure_day(partner, date=day, reason=options["reason"], acting_user=user)
                    self.stdout.write(self.style.SUCCESS(f"{partner.code} is closed on {day:%-d %B %Y}."))
                else:
                    closure = ClosureDay.objects.filter(partner=partner, date=day).first()
                    if closure is None:
                        raise CommandError(f"{partner.code} has no closure day on {day:%-d %B %Y}.")
                    actions.remove_closure_day(closure, acting_user=user)
                    self.stdout.write(self.style.SUCCESS(f"{partner.code} is open on {day:%-d %B %Y}."))
            except ValidationError as exc:
                raise CommandError(" ".join(exc.messages)) from exc

    def _calendar(self, code: str | None) -> WorkingCalendar:
        try:
            return calendar_for_code(code)
        except LookupError as exc:
            raise CommandError(str(exc)) from exc

    def _partner(self, code: str, user: User) -> Partner:
        partner = Partner.objects.restrict(user).filter(code=code.upper()).first()
        if partner is None:
            raise CommandError(f"No partner {code!r} that {user.username} may see.")
        return partner
