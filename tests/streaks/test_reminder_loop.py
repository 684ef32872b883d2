"""send_reminders --loop: a long-running process, stopped cleanly by SIGTERM, and
two copies at once still send each reminder once."""

import datetime as dt
import os
import signal
import threading
import time
from io import StringIO

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.db import connection
from django.utils import timezone

from streaks import reminders
from streaks.models import ReminderSend
from tests.conftest import make_user
from tests.streaks.test_send_reminders import EVENING, add_slot, opt_in


@pytest.fixture(autouse=True)
def _keep_the_test_transaction(request, monkeypatch):
    """close_old_connections() closes a connection inside a transaction, which is
    where non-transactional tests run (Django's test client disables it too)."""
    if "transaction" not in str(request.node.get_closest_marker("django_db")):
        monkeypatch.setattr(reminders, "close_old_connections", lambda: None)


def sigterm_after(seconds):
    timer = threading.Timer(seconds, os.kill, (os.getpid(), signal.SIGTERM))
    timer.start()
    return timer


@pytest.mark.django_db
def test_sigterm_stops_the_loop_between_passes(monkeypatch):
    passes = []
    monkeypatch.setattr(
        reminders,
        "send_due_reminders",
        lambda now=None: passes.append(1) or reminders.Outcome(),
    )
    previous = signal.getsignal(signal.SIGTERM)
    sigterm_after(0.3)
    started = time.monotonic()
    out = StringIO()
    call_command("send_reminders", "--loop", "--interval", "60", stdout=out)
    assert time.monotonic() - started < 5  # did not sleep out the minute
    assert passes == [1]
    assert "Stopped after 1 pass(es)." in out.getvalue()
    assert signal.getsignal(signal.SIGTERM) is previous  # handler given back


@pytest.mark.django_db
def test_sigterm_during_a_pass_lets_it_finish(alice, monkeypatch):
    opt_in(alice)
    add_slot(alice)
    real = reminders.send_due_reminders

    def slow_pass(now=None):
        os.kill(os.getpid(), signal.SIGTERM)  # arrives mid-pass
        time.sleep(0.1)
        return real(now=EVENING)

    monkeypatch.setattr(reminders, "send_due_reminders", slow_pass)
    out = StringIO()
    call_command("send_reminders", "--loop", "--interval", "60", stdout=out)
    assert len(mail.outbox) == 1  # the pass under way sent its reminder
    assert ReminderSend.objects.get().status == "sent"
    assert "Stopped after 1 pass(es)." in out.getvalue()


def test_a_failing_pass_is_logged_and_the_loop_goes_on(monkeypatch, caplog):
    stop = threading.Event()
    calls = []

    def flaky(now=None):
        calls.append(now)
        if len(calls) == 1:
            raise ConnectionError("database is down")
        stop.set()
        return reminders.Outcome()

    monkeypatch.setattr(reminders, "send_due_reminders", flaky)
    assert reminders.run_loop(stop, interval=0) == 2
    assert "Reminder pass failed" in caplog.text


def test_a_planned_retry_brings_the_next_pass_forward(monkeypatch):
    """A pass that planned a retry in a moment (a busy push service) runs the
    next pass then, not a whole interval later."""
    stop = threading.Event()
    passes = []

    def planned(now=None):
        passes.append(time.monotonic())
        if len(passes) == 2:
            stop.set()
        return reminders.Outcome(next_retry=timezone.now() + dt.timedelta(seconds=0.3))

    monkeypatch.setattr(reminders, "send_due_reminders", planned)
    assert reminders.run_loop(stop, interval=60) == 2
    assert 0.2 < passes[1] - passes[0] < 5


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--loop", "--dry-run"], "do not go together"),
        (["--loop", "--interval", "0"], "at least 1 second"),
    ],
)
def test_bad_loop_options_are_refused(args, message):
    with pytest.raises(CommandError, match=message):
        call_command("send_reminders", *args)


@pytest.mark.django_db(transaction=True)
def test_two_loops_at_once_send_each_reminder_once():
    """Two copies of the loop, as on two machines, each with its own database
    connection, racing over the same due reminders many times."""
    if connection.vendor != "postgresql":
        pytest.skip(
            "needs PostgreSQL (set DATABASE_URL=postgres://...): SQLite's test "
            "database lives in one process's memory"
        )
    users = [opt_in(make_user(f"user{i}", timezone="Europe/London")) for i in range(20)]
    for user in users:
        add_slot(user)
    stop = threading.Event()
    start = threading.Barrier(2)
    results = []

    def one_copy():
        start.wait()
        try:
            results.append(reminders.run_loop(stop, interval=0, clock=lambda: EVENING))
        finally:
            connection.close()  # this thread's own connection

    copies = [threading.Thread(target=one_copy) for _ in range(2)]
    for copy in copies:
        copy.start()
    time.sleep(1.5)
    stop.set()
    for copy in copies:
        copy.join(10)
    assert len(results) == 2
    assert min(results) > 1
    assert sorted(m.to[0] for m in mail.outbox) == sorted(u.email for u in users)
    assert ReminderSend.objects.filter(status="sent").count() == 20
