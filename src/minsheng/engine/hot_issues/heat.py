"""The heat of an issue: people, support, how concentrated in time and how recent.

Heat index (computed in :func:`heat_index`)::

    P = distinct users, each campaign counting once    # people, not accounts of one campaign
        (min(distinct users, distinct voices) when the campaign stage or users are missing)
    L, D = likes, dislikes summed once per voice       # a copy's likes are not counted again
    base = ln(1 + P) + 0.5·ln(1 + L) + 0.2·ln(1 + D)
    C = 1 / (1 + ln(1 + span_days / 30))               # time concentration: 1 within days, ~0.4 over a year
    R = 0.5 + 0.5·exp(−age_days / 180)                 # recency vs. the newest message of the input
    heat = 10 · base · (0.5 + 0.5·C) · R

A *voice* is one distinct argument: all messages of one ``campaign_id`` are one voice, so are all messages of
one ``dup_group`` (both from the duplicate stage when it ran), and messages whose text is identical after
removing blanks and punctuation. So 500 accounts posting the same form letter count as one person with one
voice, while 500 people describing the same problem in their own words count as 500; one person re-posting
the same complaint ten times counts as one. Two neighbours who write the same short complaint in nearly the
same words (山水湾小区粪池车乱停, 23 minutes apart) are two people, not one: only the campaign stage, which
needs evidence of orchestration, decides that many accounts are one voice; without it (or without users) the
count falls back to the smaller of users and voices. Dislikes count for less than likes but still show attention.
Recency is measured from the newest message of the input, not the wall clock, so results are reproducible.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from minsheng.engine.counts import distinct_per_group, voice_totals


def _distinct_counts(m: pd.DataFrame, issues: np.ndarray) -> dict[str, np.ndarray]:
    """Of each of ``issues`` (ascending, as a groupby of ``m`` by issue gives them): how many distinct users,
    persons and voices its members (``m``'s rows) have, and the likes and dislikes summed once per voice (each
    voice's largest).

    Why not pandas' ``nunique`` and a groupby by issue and voice: each hashed or sorted the million members
    again (≈ 0.75 CPU-s at 1,018,000 synthetic records, the parent alone); :mod:`~minsheng.engine.counts` sorts
    (issue, value) keys once per count, as the digest counts its suggestions' members."""
    issue = m["issue"].to_numpy().astype(np.int64)
    size = int(issue.max(initial=-1)) + 1
    n_voices, (likes, dislikes) = voice_totals(issue, m["voice"].to_numpy(),
                                               [m["likes"].to_numpy(), m["dislikes"].to_numpy()], size)
    return {"n_users": distinct_per_group(issue, m["user"].to_numpy(), size)[issues],
            "n_persons": distinct_per_group(issue, m["person"].to_numpy(), size)[issues],
            "n_voices": n_voices[issues], "voice_likes": likes[issues], "voice_dislikes": dislikes[issues]}


def heat_index(people: int, likes: int, dislikes: int, span_days: float, age_days: float) -> float:
    """The heat of one issue (formula in the module docstring); the platform re-ranks with it after increments."""
    base = math.log1p(people) + 0.5 * math.log1p(likes) + 0.2 * math.log1p(dislikes)
    concentration = 1.0 / (1.0 + math.log1p(max(span_days, 0.0) / 30.0))
    recency = 0.5 + 0.5 * math.exp(-max(age_days, 0.0) / 180.0)
    return round(10.0 * base * (0.5 + 0.5 * concentration) * recency, 2)
