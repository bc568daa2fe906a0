"""The benchmark data set, in the interchange format (docs/import-format.md)."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

SIZES = {"bench-small": 20, "bench-medium": 1_000, "bench-large": 100_000}
DISTINCT_TEXTS = 1_000  # rendering is per distinct text; 100k unique texts only slow the set-up
WORDS = (
    "trust respect listening boundaries feedback growth honesty patience career goals "
    "confidence silence reflection courage curiosity mentor mentee promise agreement"
).split()


def _comment_text(rng: random.Random, i: int) -> str:
    words = " ".join(rng.choice(WORDS) for _ in range(rng.randint(12, 40)))
    extra = "\n\n- a point\n- another *point*" if i % 7 == 0 else ""
    return f"Comment {i}: {words}.{extra}"


def build(seed: int = 7) -> dict:
    rng = random.Random(seed)
    start = datetime(2025, 1, 1, tzinfo=UTC)
    characteristics = []
    for number, (slug, size) in enumerate(SIZES.items(), start=1):
        parts = [
            {
                "part_number": p,
                "author": f"bench_expert_{number}_{p}",
                "author_name": f"Expert {number}.{p}",
                "affiliation": "Example Org (demo)",
                "country": "Nowhere",
                "title": f"Part {p}",
                "markdown": "\n\n".join(
                    f"Paragraph {k} about {rng.choice(WORDS)} and {rng.choice(WORDS)}."
                    for k in range(12)
                )
                + "\n\n- one\n    - nested\n- two",
                "publish_at": (start + timedelta(days=p)).isoformat(),
            }
            for p in range(1, 4)
        ]
        texts = [_comment_text(rng, i) for i in range(min(size, DISTINCT_TEXTS))]
        comments = [
            {
                "author": f"bench_reader_{i % 50}",
                "markdown": texts[i % len(texts)],
                "created_at": (start + timedelta(days=10, seconds=i)).isoformat(),
                "reply_to": (i - 1) if i % 10 == 5 else None,
            }
            for i in range(size)
        ]
        characteristics.append(
            {
                "number": number,
                "slug": slug,
                "title": f"Bench trait {number}",
                "definition": "A characteristic used by the benchmark.",
                "prompts": [
                    "What is its role?",
                    "What does it mean to you?",
                    "How is it developed?",
                ],
                "parts": parts,
                "comments": comments,
            }
        )
    return {
        "format": "mentorship-forum/series@1",
        "slug": "bench",
        "title": "Benchmark series",
        "characteristics": characteristics,
    }
