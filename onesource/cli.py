"""The `onesource` command: Django's management commands with the project's settings."""

import os
import signal
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "onesource.settings.dev")
    # `onesource costing runs | head` ends quietly, as a Unix command does, not with a BrokenPipeError.
    if hasattr(signal, "SIGPIPE"):
        signal.signal(signal.SIGPIPE, signal.SIG_DFL)
    from django.core.management import execute_from_command_line

    execute_from_command_line(["onesource", *sys.argv[1:]])


if __name__ == "__main__":
    main()
