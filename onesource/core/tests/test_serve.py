"""`onesource serve` stops its job worker however it is stopped, including by SIGTERM."""

import os
import signal

import pytest

from onesource.core.management.commands import serve


class FakeWorker:
    terminated = False

    def poll(self):
        return None if not self.terminated else 0

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
            serve.Command().handle(port=8999, host="127.0.0.1", dev=True)
    finally:
        signal.signal(signal.SIGTERM, previous)
    assert worker.terminated


def test_production_serve_runs_gunicorn_beside_the_worker(monkeypatch):
    started = []

    class Process(FakeWorker):
        def __init__(self, argv, **kwargs):
            started.append(argv)

        def wait(self, timeout=None):
            return 0

    monkeypatch.setattr(serve.subprocess, "Popen", Process)
    monkeypatch.setenv("ONESOURCE_WEB_WORKERS", "3")
    previous = signal.getsignal(signal.SIGTERM)
    try:
        with pytest.raises(SystemExit):
            serve.Command().handle(port=8999, host="127.0.0.1")
    finally:
        signal.signal(signal.SIGTERM, previous)
    worker, web = started
    assert worker[-1] == "worker"
    assert web[1:4] == ["-m", "gunicorn", "onesource.wsgi:application"]
    assert web[web.index("--workers") + 1] == "3"
    assert web[web.index("--bind") + 1] == "127.0.0.1:8999"


def test_web_workers_default_to_twice_the_cores_plus_one_capped(monkeypatch):
    monkeypatch.delenv("ONESOURCE_WEB_WORKERS", raising=False)
    monkeypatch.setattr(serve.os, "cpu_count", lambda: 2)
    assert serve.web_worker_count() == 5
    monkeypatch.setattr(serve.os, "cpu_count", lambda: 64)
    assert serve.web_worker_count() == serve.MAX_WEB_WORKERS
