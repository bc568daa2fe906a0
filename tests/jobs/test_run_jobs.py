"""`flask forum run-jobs`: every due job runs, at most once per interval, whoever runs it."""

import threading
import time
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from forum import hookimpl
from forum.db import utcnow
from forum.extensions import db
from forum.jobs.runner import next_slot, run_due_jobs
from forum.kernel.types import PeriodicJob


class CountingJobs:
    """A plugin with a slow job (so concurrent runs overlap) and a failing one."""

    def __init__(self):
        self.runs = 0
        self.lock = threading.Lock()

    def slow(self):
        with self.lock:
            self.runs += 1
        time.sleep(0.3)
        return "counted"

    @staticmethod
    def broken():
        raise RuntimeError("secret detail that must not be shown")

    @hookimpl
    def register_periodic_jobs(self):
        return [
            # (hourly: slots are aligned, so a minute-long interval would fall due again
            # whenever a test's two runs straddled a minute's end, as one did in CI)
            PeriodicJob("test.count", 3600, self.slow, order=1),
            PeriodicJob("test.broken", 3600, self.broken, order=2),
        ]


@pytest.fixture
def counting(register_plugin):
    jobs = CountingJobs()
    with register_plugin(jobs, name="counting_jobs"):
        yield jobs


def _names(outcomes, status):
    return [o.name for o in outcomes if o.status == status]


def test_every_core_job_runs_once_then_waits(runner):
    result = runner.invoke(args=["forum", "run-jobs"])
    assert result.exit_code == 0, result.output
    assert "publish-due: ran (0 part(s) announced)" in result.output
    assert "send-mail: ran (0 sent, 0 failed)" in result.output
    assert "pair_spaces.purge: ran (Deleted 0 space(s).)" in result.output
    assert result.output.index("publish-due") < result.output.index(
        "send-mail"
    )  # mail of announced parts goes out in the same run
    again = runner.invoke(args=["forum", "run-jobs"])
    assert "publish-due: not due" in again.output and "send-mail: not due" in again.output


def test_a_due_part_is_announced_and_its_mail_sent_by_one_run(
    make_app, make_user, make_part, make_characteristic
):
    from forum.notifications.models import MailPreference, OutboxMail, Watch

    app = make_app(MAIL_URL="console://")
    with app.app_context():
        ch = make_characteristic(title="Patience")
        reader = make_user("watcher", email="watcher@example.org")
        db.session.add(MailPreference(user_id=reader.id, kind="new_part", mode="immediate"))
        db.session.add(
            Watch(
                user_id=reader.id, characteristic_id=ch.id, created_at=utcnow() - timedelta(days=1)
            )
        )
        make_part(
            characteristic=ch, title="Waiting well", publish_at=utcnow() - timedelta(minutes=1)
        )
        result = app.test_cli_runner().invoke(args=["forum", "run-jobs"])
        assert "publish-due: ran (1 part(s) announced)" in result.output, result.output
        assert "send-mail: ran (1 sent, 0 failed)" in result.output
        mail = db.session.execute(sa.select(OutboxMail)).scalar_one()
        assert mail.to == "watcher@example.org" and mail.sent_at is not None


def test_a_failing_job_is_reported_without_its_text_and_the_others_run(counting, runner):
    result = runner.invoke(args=["forum", "run-jobs"])
    assert result.exit_code == 1
    assert "test.broken: failed (RuntimeError)" in result.output
    assert "secret detail" not in result.output
    assert "test.count: ran (counted)" in result.output and "send-mail: ran" in result.output
    row = db.session.execute(
        sa.text("SELECT last_result FROM job_schedule WHERE name = 'test.broken'")
    ).scalar()
    assert row == "failed: RuntimeError"


def test_only_runs_one_job_and_refuses_unknown_names(runner):
    result = runner.invoke(args=["forum", "run-jobs", "--only", "send-mail"])
    assert result.output.strip() == "send-mail: ran (0 sent, 0 failed)"
    assert runner.invoke(args=["forum", "run-jobs", "--only", "nope"]).exit_code == 2


def test_two_hosts_at_the_same_moment_run_each_job_once(app, counting, run_at_once):
    outcomes = run_at_once(run_due_jobs)
    assert counting.runs == 1
    assert len(outcomes) == 2
    for name in ("test.count", "send-mail", "publish-due", "pair_spaces.purge"):
        ran = sum(_names(run, "ran").count(name) for run in outcomes)
        skipped = sum(_names(run, "not due").count(name) for run in outcomes)
        assert (ran, skipped) == (1, 1), name


def test_a_job_runs_again_in_its_next_interval(app, counting):
    run_due_jobs(only="test.count")
    run_due_jobs(only="test.count")
    assert counting.runs == 1
    db.session.execute(
        sa.text("UPDATE job_schedule SET next_run_at = :t WHERE name = 'test.count'"),
        {"t": datetime(2000, 1, 1)},
    )
    db.session.commit()
    run_due_jobs(only="test.count")
    assert counting.runs == 2


def test_slots_are_aligned_so_a_cron_minute_always_finds_a_60_second_job_due():
    now = datetime(2026, 12, 4, 12, 0, 0, 500_000, tzinfo=UTC)
    assert next_slot(now, 60) == datetime(2026, 12, 4, 12, 1, tzinfo=UTC)
    assert next_slot(datetime(2026, 12, 4, 12, 0, 59, tzinfo=UTC), 3600) == datetime(
        2026, 12, 4, 13, 0, tzinfo=UTC
    )


def test_a_second_job_of_the_same_name_is_refused_with_a_log(
    app, counting, register_plugin, caplog
):
    class Copycat:
        @hookimpl
        def register_periodic_jobs(self):
            return [PeriodicJob("test.count", 60, lambda: "copy")]

    with register_plugin(Copycat(), name="copycat"):
        outcomes = run_due_jobs(only="test.count")
    assert [(o.name, o.status) for o in outcomes] == [("test.count", "ran")]  # one of the two, once
    assert (
        "periodic job test.count of " in caplog.text and "is already registered by" in caplog.text
    )
