"""A synthetic Chinese consultation corpus with ground truth, for demos, tests and benchmarks.

Modelled on the 2020 five-year-plan consultation: five outlets, 14 days (16–29 August) with a daily
rhythm, suggestions on a dozen themes that each belong to a department, places from a generated
gazetteer, a long tail of lengths (median ≈ 200 characters). On top of the original suggestions:

* **re-posts** — the same person (or a friend) posting the same text again, as is, with changed
  punctuation, a swapped word, or "谢谢！" added;
* **campaigns** — form letters sent by many distinct people within a burst of hours, made with
  mail-merge edits: synonym swaps, an inserted personal sentence, punctuation changes;
* **personal data** to be masked — mobile and landline numbers, checksum-valid ID numbers, Luhn-valid
  bank cards, e-mails — and 18-digit order numbers that must *not* be masked;
* a share of texts in traditional characters and full-width digits.

Most original suggestions (``POLICY_SHARE``, 65%) are short, place-free policy advice — "建议放宽公积金使用
范围，因为现在提取条件太严。" — often without a title, as most of what a five-year-plan consultation receives;
the others are local reports and proposals with places. Each original suggestion is about one specific
suggestion of its theme — an (object, action) pair such as
"老年食堂" + "引入社会力量参与运营", 72 per theme, 864 in all, some far more popular than others — written in
the author's own sentences: that is the structure fine themes must find ("a million messages, about a thousand
distinct suggestions").

With ``regions=True`` (``minsheng synth --regions``, the demo's corpus) a ``region`` column (地区) follows
``channel``: the district the text names first where it names one (a campaign's, from its title), else one of a
few districts drawn with a skew, the same for a family's records; ``REGION_EMPTY_SHARE`` of the records leave it
empty, as people leave the field blank. Without it the output is what it was (the benchmark corpora's cache).

Ground-truth columns: ``gt_family`` (records derived from one original share it), ``gt_campaign``
(campaign key or empty), ``gt_theme``, ``gt_topic`` (theme:object-action, or theme:campaign) and
``gt_department``.

>>> frame = generate(200, seed=1)
>>> sorted(frame.columns)[:4]
['channel', 'gt_campaign', 'gt_department', 'gt_family']
"""

from __future__ import annotations

import random
import re
from pathlib import Path

import numpy as np
import pandas as pd

from minsheng.engine import synth_vocab as V
from minsheng.engine.progress import progress

START = pd.Timestamp("2020-08-16 00:00:00")
DAYS = 14
# Relative submissions per hour of day: quiet at night, peaks mid-morning, afternoon and evening.
HOUR_WEIGHTS = np.array([2, 1, 1, 1, 1, 2, 4, 7, 9, 11, 12, 11, 9, 8, 9, 10, 10, 9, 8, 10, 12, 12, 9, 5], float)
ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)

# Bumped whenever the same (n, seed) would give other records, so cached benchmark corpora are regenerated.
VERSION = 4  # 4: policy advice varies its wording (openings, modifiers, details, synonyms, closings)
REPOST_SHARE = 0.07
POLICY_SHARE = 0.65  # of original suggestions: short, place-free policy advice (most of a plan consultation)
CAMPAIGN_SHARE = 0.06
REGION_EMPTY_SHARE = 0.15  # of records with ``regions=True``: no region given
# Relative weights of the few districts a record that names no place is drawn from: a skew, so the chart is not flat.
REGION_WEIGHTS = (30, 18, 12, 9, 7, 5, 4, 3)


class _Gazetteer:
    """Generated place names: cities, districts, estates, roads (no real places are implied)."""

    def __init__(self, rng: random.Random, n_cities: int = 12):
        pre = V.CITY_PREFIX
        self.cities = sorted({rng.choice(pre) + rng.choice(pre) + rng.choice(V.CITY_SUFFIX) for _ in range(n_cities)})
        self.districts = [c + rng.choice(pre) + rng.choice(pre) + rng.choice(V.DISTRICT_SUFFIX)
                          for c in self.cities for _ in range(6)]
        self.estates = [rng.choice(pre) + rng.choice(pre) + rng.choice(V.ESTATE_SUFFIX) for _ in range(400)]
        self.roads = [rng.choice(pre) + rng.choice(pre) + rng.choice(V.ROAD_SUFFIX) for _ in range(200)]

    def place(self, rng: random.Random) -> str:
        kind = rng.random()
        if kind < 0.4:
            return rng.choice(self.districts)
        if kind < 0.75:
            return rng.choice(self.districts) + rng.choice(self.estates)
        return rng.choice(self.districts) + rng.choice(self.roads)


def _resident_id(rng: random.Random) -> str:
    body = f"{rng.randint(110000, 659000)}{rng.randint(1950, 2005)}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}"
    body += f"{rng.randint(0, 999):03d}"
    check = "10X98765432"[sum(int(d) * w for d, w in zip(body, ID_WEIGHTS, strict=True)) % 11]
    return body + check


def _luhn_card(rng: random.Random) -> str:
    digits = [6, 2, 2, 2] + [rng.randint(0, 9) for _ in range(14)]
    total = 0
    for i, d in enumerate(reversed(digits)):
        d = d * 2 if i % 2 == 0 else d
        total += d - 9 if d > 9 else d
    return "".join(map(str, digits)) + str((10 - total % 10) % 10)


def _personal_data(rng: random.Random) -> str:
    roll = rng.random()
    if roll < 0.45:
        return f"我的电话是1{rng.choice('3589')}{rng.randint(0, 9)}{rng.randint(10000000, 99999999)}，欢迎联系。"
    if roll < 0.6:
        return f"联系电话0{rng.randint(10, 999)}-{rng.randint(2000000, 89999999)}。"
    if roll < 0.75:
        return f"本人身份证号{_resident_id(rng)}，可以核实。"
    if roll < 0.85:
        return f"补贴请打到我的银行卡{_luhn_card(rng)}。"
    if roll < 0.93:
        return f"邮箱{rng.choice('abcdefghmnxyz')}{rng.randint(100, 99999)}@example.com。"
    # Not personal data: an 18-digit order number (no valid ID checksum by construction below).
    number = _resident_id(rng)
    number = number[:-1] + ("0" if number[-1] != "0" else "1")
    return f"订单号{number}的退款一直没有到账。"


class _Writer:
    """Builds suggestions; one instance per corpus so all random choices follow one seed."""

    def __init__(self, seed: int):
        self.rng = random.Random(seed)
        self.gaz = _Gazetteer(self.rng)
        self.theme_keys = list(V.THEMES)
        from opencc import OpenCC

        self.s2t = OpenCC("s2t")

    def sentence(self, theme: str, topic: tuple[int, int] | None = None) -> str:
        """One sentence on ``theme``; with a ``topic`` (object, action) it is about that object or asks that action."""
        rng = self.rng
        dept, _label, objects, problems, actions = V.THEMES[theme]
        kind = rng.random()
        if kind < 0.45:
            p1, p2 = rng.sample(problems, 2)
            if topic is not None:
                return f"{rng.choice(V.LINKS)}{self.gaz.place(rng)}的{objects[topic[0]]}{p1}，还有{p2}的问题。"
            o1, o2 = rng.sample(objects, 2)
            return f"{rng.choice(V.LINKS)}{self.gaz.place(rng)}的{o1}{p1}，{o2}也存在{p2}的问题。"
        if kind < 0.85:
            if topic is not None:
                return f"{rng.choice(V.ASKS)}{actions[topic[1]]}，{rng.choice(V.ACTION_TAILS)}。"
            a1, a2 = rng.sample(actions, 2)
            return f"{rng.choice(V.ASKS)}{a1}，同时{a2}。"
        detail = rng.choice(V.EXTRA_DETAILS)
        return detail.format(n=rng.randint(2, 30), dept=dept, place=self.gaz.place(rng))

    def suggestion(self, theme: str, topic: tuple[int, int] | None = None) -> tuple[str, str]:
        """A (title, body) pair with a long-tailed length, about one specific ``topic`` of the theme when given."""
        rng = self.rng
        _dept, label, objects, problems, actions = V.THEMES[theme]
        n_sentences = max(1, min(24, int(rng.lognormvariate(1.55, 0.5))))
        parts = [rng.choice(V.OPENINGS)] + [self.sentence(theme, topic) for _ in range(n_sentences)]
        if rng.random() < 0.5:
            parts.append(rng.choice(V.REASONS))
        if rng.random() < 0.03:
            parts.append(_personal_data(rng))
        parts.append(rng.choice(V.CLOSINGS))
        obj, act = (objects[topic[0]], actions[topic[1]]) if topic is not None else (
            rng.choice(objects), rng.choice(actions))
        title = rng.choice((f"关于{obj}的建议：{act}", f"{obj}：{act}", f"{label}：{obj}{rng.choice(problems)}，建议{act}",
                            f"建议{act}，解决{obj}的问题"))
        body = "".join(parts)
        if rng.random() < 0.01:
            body, title = self.s2t.convert(body), self.s2t.convert(title)
        elif rng.random() < 0.01:
            body = body.translate(_FULL_WIDTH_DIGITS)
        return title, body

    def policy_advice(self, theme: str, topic: tuple[int, int]) -> tuple[str, str]:
        """Place-free policy advice on one ``topic``: one to three sentences, half of them without a title.

        Worded as independent people word it: who they are, how strongly and how soon they ask, a detail of
        their own (a number, a place), their own synonyms and sign-off each vary, so two authors of the same
        suggestion rarely write the same text, while each text still names its object and its action (the
        duplicate detector's precision is measured against authors who differ, not against a phrase book).
        """
        rng = self.rng
        dept, _label, objects, problems, actions = V.THEMES[theme]
        obj, act = objects[topic[0]], actions[topic[1]]
        sentences = [rng.choice(V.POLICY_TEMPLATES).format(
            ask=rng.choice(V.ASKS) + rng.choice(V.MODIFIERS), action=act, object=obj,
            problem=rng.choice(problems), reason=rng.choice(V.POLICY_REASONS))]
        if rng.random() < 0.5:
            sentences.append(f"{obj}{rng.choice(problems)}。")
        if rng.random() < 0.3:
            sentences.append(rng.choice(V.REASONS))
        if rng.random() < 0.5:
            sentences.append(rng.choice(V.EXTRA_DETAILS).format(n=rng.randint(2, 30), dept=dept,
                                                                place=self.gaz.place(rng)))
        rng.shuffle(sentences[1:]) if len(sentences) > 2 else None
        opening = rng.choice(V.OPENINGS) if rng.random() < 0.5 else ""
        text = opening + "".join(sentences)
        swapped = _swap_synonyms(text, rng, rng.randint(0, 3))
        text = swapped if obj in swapped and act in swapped else text  # the planted suggestion stays legible
        text += rng.choice(V.CLOSINGS) if rng.random() < 0.5 else ""
        title = "" if rng.random() < 0.5 else rng.choice((f"关于{obj}的建议", f"建议{act}", f"{obj}：{act}"))
        return title, text

    def repost(self, title: str, body: str) -> tuple[str, str]:
        rng = self.rng
        roll = rng.random()
        if roll < 0.4:
            return title, body
        if roll < 0.6:
            return title, body.replace("，", ",").replace("。", "！", 1)
        if roll < 0.8:
            return title, _swap_synonyms(body, rng, 1)
        return title, body + rng.choice(("谢谢！", "请重视！", "盼复！"))

    def campaign_template(self, theme: str) -> tuple[str, str]:
        rng = self.rng
        place = self.gaz.place(rng)
        _dept, label, objects, _problems, _actions = V.THEMES[theme]
        title = rng.choice(V.CAMPAIGN_TOPICS).format(place=place, label=label, object=rng.choice(objects))
        body = "尊敬的领导：" + "".join(self.sentence(theme) for _ in range(rng.randint(8, 12)))
        body += rng.choice(V.REASONS) + "我们强烈要求有关部门重视并尽快解决这个问题。"
        return title, body

    def campaign_member(self, title: str, body: str) -> tuple[str, str]:
        rng = self.rng
        text = _swap_synonyms(body, rng, rng.choice((0, 0, 1, 1, 2)))
        if rng.random() < 0.5:
            sentences = text.split("。")
            at = rng.randint(1, max(1, len(sentences) - 1))
            sentences.insert(at, rng.choice(V.PERSONAL_ADDITIONS).rstrip("。"))
            text = "。".join(sentences)
        if rng.random() < 0.3:
            text = text.replace("，", ",")
        return title, text


_FULL_WIDTH_DIGITS = str.maketrans("0123456789", "０１２３４５６７８９")


def _swap_synonyms(text: str, rng: random.Random, k: int) -> str:
    for a, b in rng.sample(V.SYNONYMS, k):
        text = text.replace(a, b, 1) if a in text else text.replace(b, a, 1)
    return text


def _times(rng: np.random.Generator, n: int) -> np.ndarray:
    days = rng.integers(0, DAYS, n)
    hours = rng.choice(24, n, p=HOUR_WEIGHTS / HOUR_WEIGHTS.sum())
    seconds = rng.integers(0, 3600, n)
    return (START.value + ((days * 24 + hours) * 3600 + seconds) * 1_000_000_000).astype("datetime64[ns]")


def generate(n: int, seed: int = 0, *, regions: bool = False) -> pd.DataFrame:
    """Generate ``n`` suggestions (columns id, title, body, time, user, channel, with ``regions`` region, and
    ground truth)."""
    writer = _Writer(seed)
    rng = writer.rng
    nprng = np.random.default_rng(seed)
    n_campaign = int(n * CAMPAIGN_SHARE) if n >= 200 else 0
    n_repost = int(n * REPOST_SHARE)
    n_original = n - n_campaign - n_repost
    theme_p = nprng.dirichlet(np.full(len(writer.theme_keys), 4.0))
    themes = nprng.choice(writer.theme_keys, n_original, p=theme_p)
    topics = _topics(nprng, themes)
    times = _times(nprng, n)
    users = np.char.add("U", nprng.integers(1_000_000, 1_000_000 + max(10, int(n * 0.8)), n).astype(str))
    rows: list[tuple] = []
    with progress("synth", total=n) as bar:
        policy = nprng.random(n_original) < POLICY_SHARE
        for i, theme in enumerate(themes):
            title, body = (writer.policy_advice(theme, topics[i]) if policy[i]
                           else writer.suggestion(theme, topics[i]))
            rows.append((title, body, times[i], users[i], theme, f"{theme}:{topics[i][0]}-{topics[i][1]}",
                         f"F{i:07d}", ""))
            if i % 10_000 == 9_999:
                bar.update(10_000)
        for j in range(n_repost):
            src = rows[rng.randrange(n_original)]
            title, body = writer.repost(src[0], src[1])
            user = src[3] if rng.random() < 0.6 else users[n_original + j]
            when = src[2] + np.timedelta64(rng.randint(60, 5 * 86400), "s")
            rows.append((title, body, when, user, src[4], src[5], src[6], ""))
        rows.extend(_campaigns(writer, nprng, n_campaign, len(rows)))
        bar.update(max(0, n - bar.n))
    frame = pd.DataFrame(rows, columns=["title", "body", "time", "user", "gt_theme", "gt_topic", "gt_family",
                                        "gt_campaign"])
    frame = frame.sample(frac=1.0, random_state=seed).reset_index(drop=True)
    frame.insert(0, "id", [f"S{seed:02d}{i:08d}" for i in range(len(frame))])
    frame["channel"] = nprng.choice(V.CHANNELS, len(frame), p=V.CHANNEL_WEIGHTS)
    frame["gt_department"] = frame["gt_theme"].map({k: v[0] for k, v in V.THEMES.items()})
    frame["time"] = frame["time"].dt.floor("s")
    frame = frame[["id", "title", "body", "time", "user", "channel",
                   "gt_family", "gt_campaign", "gt_theme", "gt_topic", "gt_department"]]
    return _with_regions(frame, writer.gaz, seed) if regions else frame


def _with_regions(frame: pd.DataFrame, gaz: _Gazetteer, seed: int) -> pd.DataFrame:
    """``frame`` with a ``region`` column after ``channel`` (see the module's text), drawn from its own random
    stream so the other columns stay as they are without it."""
    rng = np.random.default_rng([seed, 0x5E610])
    named = re.compile("|".join(map(re.escape, sorted(set(gaz.districts), key=len, reverse=True))))
    few = [gaz.districts[i] for i in rng.choice(len(gaz.districts), len(REGION_WEIGHTS), replace=False)]
    weights = np.array(REGION_WEIGHTS, float) / sum(REGION_WEIGHTS)
    by_family: dict[str, str] = {}
    out = []
    for title, body, family in zip(frame["title"], frame["body"], frame["gt_family"], strict=True):
        found = named.search(title) or named.search(body)
        if found is None and family not in by_family:
            by_family[family] = few[rng.choice(len(few), p=weights)]
        out.append(found.group(0) if found else by_family[family])
    empty = rng.random(len(frame)) < REGION_EMPTY_SHARE
    frame = frame.copy()
    frame.insert(frame.columns.get_loc("channel") + 1, "region", np.where(empty, "", out))
    return frame


def novel_ideas(n: int, seed: int = 0, *, regions: bool = False) -> pd.DataFrame:
    """``n`` one-off proposals (金点子), each a specific measure at a generated place that nobody else proposes
    (:data:`~minsheng.engine.synth_vocab.NOVEL_MEASURES`), in :func:`generate`'s columns; ``gt_topic`` is
    ``novel:<k>``, ``region`` with ``regions`` as :func:`generate` gives it. The demo adds them to its corpus so
    that its novel-ideas page shows what the stage finds; the benchmark corpus stays as :data:`VERSION` says."""
    rng, nprng = random.Random(seed), np.random.default_rng(seed)
    gaz = _Gazetteer(rng)
    picks = rng.sample(range(len(V.NOVEL_MEASURES)), min(n, len(V.NOVEL_MEASURES)))
    times = _times(nprng, len(picks))
    rows = []
    for i, k in enumerate(picks):
        measure, why, dept = V.NOVEL_MEASURES[k]
        body = f"{rng.choice(V.NOVEL_ASKS)}{gaz.place(rng)}{measure}，{why}。"
        rows.append((f"N{seed:02d}{i:08d}", "", body, times[i], f"N{seed:02d}{i:06d}",
                     rng.choice(V.CHANNELS), f"N{i:07d}", "", "novel", f"novel:{k}", dept))
    columns = ["id", "title", "body", "time", "user", "channel", "gt_family", "gt_campaign", "gt_theme", "gt_topic",
               "gt_department"]
    frame = pd.DataFrame(rows, columns=columns)
    frame["time"] = frame["time"].dt.floor("s")
    return _with_regions(frame, gaz, seed) if regions else frame


def _topics(nprng: np.random.Generator, themes: np.ndarray) -> list[tuple[int, int]]:
    """A specific suggestion for each record: one (object, action) pair of its theme, some far more popular."""
    out: list[tuple[int, int] | None] = [None] * len(themes)
    for theme, (_dept, _label, objects, _problems, actions) in V.THEMES.items():
        rows = np.flatnonzero(themes == theme)
        n_topics = len(objects) * len(actions)
        picks = nprng.choice(n_topics, len(rows), p=nprng.dirichlet(np.full(n_topics, 1.0)))
        for row, pick in zip(rows, picks, strict=True):
            out[row] = divmod(int(pick), len(actions))
    return out


def _campaigns(writer: _Writer, nprng: np.random.Generator, total: int, offset: int) -> list[tuple]:
    """Form-letter campaigns: sizes from a heavy-tailed law, arrivals in a burst of a few hours."""
    if total == 0:
        return []
    n_campaigns = max(3, total // 1500)
    sizes = nprng.pareto(1.2, n_campaigns) + 1
    sizes = np.maximum(20, (sizes / sizes.sum() * total).astype(int))
    sizes[-1] = max(20, total - sizes[:-1].sum())
    rows = []
    for c, size in enumerate(sizes):
        theme = writer.rng.choice(writer.theme_keys)
        title, body = writer.campaign_template(theme)
        start = START.value + int(nprng.integers(0, DAYS * 86400 - 86400)) * 1_000_000_000
        offsets = np.abs(nprng.normal(0, 2.5 * 3600, size)).astype(np.int64) * 1_000_000_000
        for k in range(int(size)):
            t, b = writer.campaign_member(title, body)
            rows.append((t, b, np.datetime64(start + int(offsets[k]), "ns"), f"C{c:03d}U{offset + len(rows):08d}",
                         theme, f"{theme}:C{c:03d}", f"C{c:03d}", f"C{c:03d}"))
    return rows[:total] if len(rows) > total else rows


def write_corpus(frame: pd.DataFrame, path: str | Path) -> Path:
    """Write by file ending: ``.csv`` (UTF-8), ``.parquet``, ``.jsonl`` or ``.xlsx``."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    suffix = path.suffix.lower()
    if suffix == ".parquet":
        frame.to_parquet(path, index=False)
    elif suffix in (".jsonl", ".ndjson"):
        frame.to_json(path, orient="records", lines=True, force_ascii=False, date_format="iso")
    elif suffix == ".xlsx":
        frame.to_excel(path, index=False)
    else:
        frame.to_csv(path, index=False)
    return path
