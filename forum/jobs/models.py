"""One row per periodic job: when it may run next, claimed by whichever host runs it first."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from forum.db import UTCDateTime
from forum.extensions import db


class JobSchedule(db.Model):
    """The claim of a periodic job: ``next_run_at`` moves forward in the UPDATE that claims it."""

    __tablename__ = "job_schedule"

    name: Mapped[str] = mapped_column(String(100), primary_key=True)
    next_run_at: Mapped[datetime] = mapped_column(UTCDateTime)
    last_started_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_result: Mapped[str] = mapped_column(String(200), default="")
