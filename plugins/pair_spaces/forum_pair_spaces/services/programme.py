"""Programme counts for admins: how many pairs, proposals and open guidance requests exist.

Counts only. The visibility rule rightly hides proposals and guidance threads from admins, so
these aggregate queries lift it for this plugin's own types with a stated reason; they select
``count()`` and nothing else, so no content and no supervision identity can come out.
"""

from __future__ import annotations

import csv
import io

from sqlalchemy import func, select

from forum.sdk import N_, bypass, db, utcnow
from forum_pair_spaces.models import GuidanceRequest, Pair
from forum_pair_spaces.statuses import PairStatus

REASON = "programme counts (aggregate only, no rows)"
LABELS = {
    "pairs_active": N_("Pairs active"),
    "pairs_ended": N_("Pairs ended"),
    "proposals_waiting": N_("Proposals waiting"),
    "guidance_open": N_("Guidance requests open"),
}


def _count(stmt) -> int:
    options = bypass("pair_spaces", REASON)
    return int(db.session.execute(stmt, execution_options=options).scalar_one())


def counts() -> dict[str, int]:
    pairs = select(func.count(Pair.id))
    return {
        "pairs_active": _count(pairs.where(Pair.status == PairStatus.ACTIVE)),
        "pairs_ended": _count(pairs.where(Pair.status == PairStatus.ENDED)),
        "proposals_waiting": _count(pairs.where(Pair.status == PairStatus.PROPOSED)),
        "guidance_open": _count(
            select(func.count(GuidanceRequest.id)).where(GuidanceRequest.closed_at.is_(None))
        ),
    }


def counts_csv(values: dict[str, int]) -> str:
    """One header row of human labels and the key, then one row per count, dated."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["measure", "key", "count", "as_of_utc"])
    stamp = utcnow().strftime("%Y-%m-%d %H:%M UTC")
    for key, label in LABELS.items():
        writer.writerow([label, key, values[key], stamp])
    return out.getvalue()
