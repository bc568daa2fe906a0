"""Running periodic jobs at most once per interval across every host sharing the database.

A job is claimed by ``UPDATE job_schedule SET next_run_at = <next slot> WHERE name = :name AND
next_run_at <= now``: whichever process commits that UPDATE first runs the job, every other one
sees zero rows changed and skips it. Slots are aligned on the interval (a 60-second job's next
slot is the next full minute), so a cron run a few milliseconds early still finds it due.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import cast

from flask import current_app
from sqlalchemy import CursorResult, update
from sqlalchemy.dialects import postgresql, sqlite

from forum.db import utcnow
from forum.extensions import db
from forum.jobs.models import JobSchedule
from forum.kernel.registries import per_plugin
from forum.kernel.state import is_enabled
from forum.kernel.types import PeriodicJob

log = logging.getLogger("forum.jobs")
EPOCH = datetime(2000, 1, 1, tzinfo=UTC)


@dataclass(frozen=True)
class JobOutcome:
    name: str
    status: str  # "ran", "failed" or "not due"
    summary: str = ""


def registered_jobs(app=None) -> list[tuple[str, PeriodicJob]]:
    """``(owning plugin, job)`` for every job of every installed plugin, in running order."""
    app = app or current_app
    found: dict[str, tuple[str, PeriodicJob]] = {}
    for plugin, is_core, job in per_plugin(
        app.extensions["forum.plugins"], "register_periodic_jobs"
    ):
        owner = "core" if is_core else plugin
        if job.name in found:  # one schedule row per name: the second would never run
            log.error(
                "periodic job %s of %s is already registered by %s; skipped",
                job.name,
                owner,
                found[job.name][0],
            )
            continue
        found[job.name] = (owner, job)
    return sorted(found.values(), key=lambda pair: (pair[1].order, pair[1].name))


def next_slot(now: datetime, interval: int) -> datetime:
    """The start of the interval after the one ``now`` is in."""
    interval = max(1, int(interval))
    elapsed = int((now - EPOCH).total_seconds())
    return EPOCH + timedelta(seconds=(elapsed // interval + 1) * interval)


def _ensure_row(name: str, now: datetime) -> None:
    """A new job is due at once; concurrent first runs insert it once."""
    dialect = postgresql if db.engine.dialect.name == "postgresql" else sqlite
    db.session.execute(
        dialect.insert(JobSchedule)
        .values(name=name, next_run_at=now, last_result="")
        .on_conflict_do_nothing(index_elements=["name"])
    )


def claim(job: PeriodicJob, now: datetime | None = None) -> bool:
    """Take this interval's run of ``job`` for this process; False if another took it (committed)."""
    now = now or utcnow()
    _ensure_row(job.name, now)
    result = db.session.execute(
        update(JobSchedule)
        .where(JobSchedule.name == job.name, JobSchedule.next_run_at <= now)
        .values(next_run_at=next_slot(now, job.interval), last_started_at=now)
        .execution_options(synchronize_session=False)
    )
    won = cast(CursorResult, result).rowcount == 1  # (an UPDATE's result is a CursorResult)
    db.session.commit()
    return won


def _finish(name: str, result: str) -> None:
    db.session.execute(
        update(JobSchedule)
        .where(JobSchedule.name == name)
        .values(last_finished_at=utcnow(), last_result=result[:200])
        .execution_options(synchronize_session=False)
    )
    db.session.commit()


def run_job(job: PeriodicJob) -> JobOutcome:
    """Run one claimed job; an exception is logged by type only (no content) and rolled back."""
    try:
        summary = job.run()
    except Exception as error:  # one failing job must not stop the others
        db.session.rollback()
        log.error("periodic job %s failed (%s)", job.name, type(error).__name__)
        _finish(job.name, f"failed: {type(error).__name__}")
        return JobOutcome(job.name, "failed", type(error).__name__)
    summary = "" if summary is None else str(summary)
    _finish(job.name, summary)
    return JobOutcome(job.name, "ran", summary)


def run_due_jobs(only: str | None = None) -> list[JobOutcome]:
    """Run every due job of every enabled plugin (``only``: just the one of that name)."""

    outcomes = []
    for plugin, job in registered_jobs():
        if (only and job.name != only) or (plugin != "core" and not is_enabled(plugin)):
            continue
        outcomes.append(run_job(job) if claim(job) else JobOutcome(job.name, "not due"))
    return outcomes
