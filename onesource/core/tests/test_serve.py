"""`onesource serve` stops its job worker however it is stopped, including by SIGTERM."""

import os
import signal

import pytest

from onesource.core.management.commands import serve


class FakeWorker:
    terminated = False

    def terminate(self):
        self.terminated = True

    def wait(self, timeout=None):
        return 0


def test_sigterm_stops_the_worker_too(monkeypatch):
    worker = FakeWorker()
    monkeypatch.setattr(serve.subprocess, "Popen", lambda *a, **k: worker)
    # The web server is "running" when the process is told to stop.
    monkeypatch.setattr(serve, "call_command", lambda *a, **k: os.kill(os.getpid(), signal.SIGTERM))
    previous = signal.getsignal(signal.SIGTERM)

    def unhandled(signum, frame):
        # Stands in for Python's default (exit at once, skipping `finally`) without killing the tests.
        raise RuntimeError("SIGTERM not handled by serve")

    signal.signal(signal.SIGTERM, unhandled)
    try:
        with pytest.raises(SystemExit):
            serve.Command().handle(port=8999, host="127.0.0.1")
    finally:
        signal.signal(signal.SIGTERM, previous)
    assert worker.terminated
