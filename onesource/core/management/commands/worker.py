from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = (
        "Run queued jobs (imports, recharge runs, reports) as they arrive. Run several for more throughput."
    )

    def handle(self, *args, **options) -> None:
        call_command("db_worker", "--queue-name", "default", "--interval", "0.5")
