from django.core.management.base import BaseCommand, CommandError, CommandParser

from onesource.core import actions
from onesource.core.models import User


class Command(BaseCommand):
    help = "API tokens: `onesource token create USERNAME` prints a new token for that user."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="verb", required=True)
        create = sub.add_parser("create", help="Make a token and print it (it is shown only once).")
        create.add_argument("username")
        create.add_argument("--name", default="", help="What the token is for.")

    def handle(self, *args, verb: str, **options) -> None:
        try:
            user = User.objects.get(username=options["username"], is_active=True)
        except User.DoesNotExist as exc:
            raise CommandError(f"No active user called {options['username']!r}.") from exc
        _, raw = actions.create_api_token(user, name=options["name"], acting_user=user)
        self.stdout.write(raw)
