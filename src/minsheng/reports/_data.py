"""Load an analysis output directory into one :class:`ReportData` of aggregates and samples.

The three report formats render the same numbers, so they are computed once here. Only aggregates and
bounded samples are kept: a report of a million suggestions must stay a few megabytes and open fast.
Every section is optional, because producers are added stage by stage; a missing file becomes a plain
note in the report instead of an error. Every text that reaches a report is masked again (defence in
depth: the analysis output should already be masked, but a report is what leaves the building).

>>> data = load_report_data("out/analysis")          # doctest: +SKIP
>>> data.key_figures[0]                               # doctest: +SKIP
('收到建议', 1018000)
"""

from __future__ import annotations

import dataclasses
import logging
import re
from dataclasses import dataclass, field
from pathlib import Path, PurePath
from typing import Any

import numpy as np
import pandas as pd

from minsheng.engine.masking import mask_quoted
from minsheng.engine.result import AnalysisResult, read_result
from minsheng.reports._labels import MASKED_KINDS, OPTION_VALUES, OPTIONS, STAGES, score_parts

log = logging.getLogger(__name__)

#: How many rows of a long table a report carries (the workbook gets the same bounded tables).
MAX_ROWS = {"suggestions": 300, "novel": 50, "themes": 400, "hot_issues": 100, "campaigns": 200, "rejects": 200,
            "channels": 100, "regions": 100}
#: Reply scores in [0, 1] drawn side by side per department (``total`` is out of 100 and stays in the table).
REPLY_SCORES = ["relevance", "completeness", "interpretability", "timeliness"]
MAX_CHANNEL_SERIES = 10  # channels drawn one by one; the rest are summed as OTHER_CHANNELS
OTHER_CHANNELS = "其他渠道"
MAX_TEXT = 300  # characters of one quote or template
MAX_MEMBER_IDS = 20
RECORD_COLUMNS = ["time", "channel", "user", "department", "department_confidence", "needs_review",
                  "campaign_id", "theme_id"]
#: Read besides only when the suggestions come from regions (``summary["regions"]``): a run without any reads no more.
REGION_COLUMNS = ["id", "region"]
REGION_CHART = 15  # regions drawn in the chart, the most suggestions first (as the platform's overview draws them)
REGION_TOP = 3  # themes and suggestions named for each region
UNKNOWN_CHANNEL, UNASSIGNED = "未知渠道", "未分派"
#: The columns of a table that the PDF's charts read (:mod:`minsheng.reports.charts`), under their names in the
#: result and in the report, and those it is ranked by.
CHART_COLUMNS = {
    "themes": ("theme_id", "theme id", "id", "level", "parent", "parent_id", "label", "n_messages"),
    "hot_issues": ("rank", "heat", "description", "time_start", "time_end"),
    "campaigns": ("campaign_id", "people", "messages", "distinct_arguments"),
}


@dataclass
class ReportData:
    """Everything a report shows; a ``None`` section is absent and ``notes[section]`` says why."""

    out_dir: Path
    summary: dict[str, Any]
    key_figures: list[tuple[str, Any]]
    channels: pd.DataFrame
    volume: pd.DataFrame  # index: time bucket; one column per channel
    volume_unit: str  # "小时" / "日" / "周"
    departments: pd.DataFrame | None = None
    themes: pd.DataFrame | None = None
    hot_issues: pd.DataFrame | None = None
    suggestions: pd.DataFrame | None = None  # the digest (建议摘编), ranked
    novel: pd.DataFrame | None = None  # novel ideas (金点子)
    campaigns: pd.DataFrame | None = None
    #: Per region, the most suggestions first: region, messages, share, top_themes, top_suggestions (None without
    #: regions); ``located`` suggestions carry a region.
    regions: pd.DataFrame | None = None
    located: int = 0
    campaign_arrivals: pd.DataFrame | None = None  # campaign_id, time (hour), messages
    replies: pd.DataFrame | None = None
    rejects_by_reason: pd.DataFrame | None = None
    rejects_sample: pd.DataFrame | None = None
    masked: pd.DataFrame | None = None
    stages: pd.DataFrame | None = None
    options: pd.DataFrame | None = None  # analysis parameters, for the method notes
    notes: dict[str, str] = field(default_factory=dict)
    highlights: list[str] = field(default_factory=list)  # the findings in plain sentences, for the summary

    @property
    def title(self) -> str:
        return "民声建议梳理分析报告"

    def timed_hot_issues(self, top: int) -> pd.DataFrame | None:
        """The first ``top`` hot issues with a first and a last time, for a timeline; None when none has them (a
        file without a time column): an empty chart of issue names tells the reader nothing."""
        h = self.hot_issues
        if h is None or not {"time_start", "time_end"} <= set(h.columns):
            return None
        h = h.head(top).dropna(subset=["time_start", "time_end"])
        return h if len(h) else None

    @property
    def input_names(self) -> list[str]:
        """Input file names without their directories (a server path means nothing to a reader)."""
        return [Path(str(p)).name for p in self.summary.get("inputs") or []]

    @property
    def regions_in_words(self) -> str:
        """How the regions section counts, for the reader of any format; empty without regions."""
        if self.regions is None:
            return ""
        count, accepted = self.summary.get("regions") or len(self.regions), self.summary.get("accepted")
        share = f"（占全部建议的 {self.located / accepted:.0%}）" if accepted and self.located < accepted else ""
        listed = f"，表中列出建议最多的 {len(self.regions)} 个" if len(self.regions) < count else ""
        return (f"按建议注明的地区统计：{self.located:,} 条建议注明了地区{share}，来自 {count:,} 个地区{listed}。"
                f"图中为建议最多的 {min(REGION_CHART, len(self.regions))} 个地区；表中每个地区列出其建议最多的主题和"
                f"提出最多的建议，括号内为该地区的建议数（一条建议提出几项诉求，就计入几条摘编建议，与平台的“本地区”"
                f"条数相同）")

    @property
    def source(self) -> str:
        """Where the suggestions came from, for the reader: the platform says it in words (``summary["source"]``:
        the campaign and its channels, never its internal export file); the command line names the input files."""
        return str(self.summary.get("source") or "、".join(self.input_names))

    @property
    def full_results(self) -> str:
        """Where the rows behind the report are: the platform's pages for a platform run (its output directory is
        internal), the analysis output's files for one from the command line."""
        if self.summary.get("source"):
            return "完整结果见民声平台的“梳理分析”页面，可在“检索”中筛选并导出"
        return "完整结果见同目录下的 records.parquet 和各 CSV 文件"

    @property
    def time_span(self) -> str:
        """The period the suggestions cover, in plain Chinese, or an empty string when unknown."""
        start, end = self.summary.get("time_start"), self.summary.get("time_end")
        if start is None or end is None:
            return ""
        fmt = "%Y年%m月%d日"
        return f"{pd.Timestamp(start).strftime(fmt)} 至 {pd.Timestamp(end).strftime(fmt)}"


def mask_text(value: Any) -> Any:
    """Mask personal data in one displayed value (:func:`~minsheng.engine.masking.mask_quoted`) and cut it to :data:`MAX_TEXT` characters."""
    if not isinstance(value, str):
        return value
    # Mask a little more than is kept, so a number straddling the cut is masked whole before it is cut.
    masked = mask_quoted(value[: MAX_TEXT + 40])
    return masked if len(value) <= MAX_TEXT and len(masked) <= MAX_TEXT else masked[: MAX_TEXT - 1] + "…"


def _mask_frame(frame: pd.DataFrame) -> pd.DataFrame:
    frame = frame.copy()
    for col in frame.columns:
        if frame[col].dtype == object or pd.api.types.is_string_dtype(frame[col]):
            frame[col] = frame[col].map(mask_text, na_action="ignore").astype(frame[col].dtype)
    return frame


def chart_columns(frame: pd.DataFrame | None, name: str) -> pd.DataFrame | None:
    """The columns of table ``name`` that the charts read (:data:`CHART_COLUMNS`), in the table's order."""
    return None if frame is None else frame[[c for c in frame.columns if c in CHART_COLUMNS[name]]]


def chart_tables(result: AnalysisResult) -> AnalysisResult:
    """``result`` with its themes, hot issues and campaigns cut to the columns the charts read, for the charts drawn
    ahead.

    Why: the report helper drew them from the report data of the whole result, masking every text of the themes
    table (191 themes, seven text columns, representatives included, for a 5,000-row file), of the 100 hot
    issues shown and of the campaigns (each one's form letter, several hundred characters), on the core the
    engine's last stages share; the charts show a label and a description, and the campaigns' only counts."""
    return dataclasses.replace(result, **{name: chart_columns(getattr(result, name), name) for name in CHART_COLUMNS})


def _bucket(span: pd.Timedelta) -> tuple[str, str]:
    """A time bucket that gives a readable number of points for the span (pandas freq, Chinese unit)."""
    if span <= pd.Timedelta(days=3):
        return "h", "小时"
    if span <= pd.Timedelta(days=180):
        return "D", "日"
    return "W", "周"


def _volume(records: pd.DataFrame) -> tuple[pd.DataFrame, str]:
    if "time" not in records or records.empty:
        return pd.DataFrame(), "日"
    times = pd.to_datetime(records["time"], errors="coerce")
    ok = times.notna()
    if not ok.any():
        return pd.DataFrame(), "日"
    freq, unit = _bucket(times[ok].max() - times[ok].min())
    channel = records.get("channel", pd.Series(UNKNOWN_CHANNEL, index=records.index)).fillna(UNKNOWN_CHANNEL)
    volume = (pd.DataFrame({"time": times[ok].dt.to_period(freq).dt.start_time, "channel": channel[ok]})
              .groupby(["time", "channel"]).size().unstack(fill_value=0))
    volume = volume[volume.sum().sort_values(ascending=False).index]
    if volume.shape[1] > MAX_CHANNEL_SERIES:  # a free-text channel field must not make a thousand series
        keep = volume.columns[: MAX_CHANNEL_SERIES - 1]
        volume = volume[keep].assign(**{OTHER_CHANNELS: volume.drop(columns=keep).sum(axis=1)})
    full = pd.period_range(volume.index.min(), volume.index.max(), freq=freq).start_time
    return volume.reindex(full, fill_value=0).rename_axis("time"), unit


def _channels(summary: dict, records: pd.DataFrame) -> pd.DataFrame:
    counts = summary.get("channels")
    if counts:
        series = pd.Series(counts, dtype="int64")
    elif "channel" in records:
        series = records["channel"].fillna(UNKNOWN_CHANNEL).value_counts()
    else:
        series = pd.Series(dtype="int64")
    series = series.sort_values(ascending=False)
    total = series.sum()
    if len(series) > MAX_ROWS["channels"]:
        keep = series.head(MAX_ROWS["channels"] - 1)
        series = pd.concat([keep, pd.Series({OTHER_CHANNELS: series.iloc[len(keep):].sum()})])
    return pd.DataFrame({"channel": series.index.astype(str), "messages": series.to_numpy(),
                         "share": (series / total).round(4).to_numpy() if total else 0.0})


def _regions(summary: dict, records: pd.DataFrame, themes: pd.DataFrame | None,
             suggestions: pd.DataFrame | None) -> tuple[pd.DataFrame | None, int]:
    """Per region, the most suggestions first (at most :data:`MAX_ROWS` ``["regions"]``): its suggestions, their
    share of all, and what it raised most, its largest fine themes and digest suggestions (:data:`REGION_TOP` each,
    with the region's count: :func:`region_items`); and how many suggestions carry a region. None without regions:
    a file without a region column, or a result written before records carried one."""
    if not summary.get("regions") or "region" not in records:
        return None, 0
    region = records["region"]
    counts = region.value_counts()
    if counts.empty:
        return None, 0
    top = counts.head(MAX_ROWS["regions"])
    frame = pd.DataFrame({"region": top.index.astype(str), "messages": top.to_numpy().astype("int64"),
                          "share": (top / len(records)).round(4).to_numpy()})
    for kind, names, out in (("theme", _names(themes, ("theme_id", "theme id", "id"), "label"), "top_themes"),
                             ("suggestion", _names(suggestions, ("suggestion_id",), "headline"), "top_suggestions")):
        items = region_items(records, themes if kind == "theme" else suggestions, kind) if names is not None else None
        if items is not None:
            frame[out] = frame["region"].map(_most_raised(items[items["region"].isin(top.index)], names)).fillna("")
    return frame, int(counts.sum())


def region_items(records: pd.DataFrame, table: pd.DataFrame | None, kind: str) -> pd.DataFrame | None:
    """How many of each region's letters each fine theme (``kind`` "theme": a letter's ``theme_id``) or digest
    suggestion (``kind`` "suggestion": its ``member_ids``) holds: ``region``, ``item``, ``n``; None when the result
    has neither.

    The platform's region pages count the same way (:class:`~minsheng.consultation.analysis.models.RegionCount`):
    a letter is in one theme, but in every digest suggestion one of its asks falls in (a member), so a suggestion's
    count of a region's letters is a part of its own count of letters (本地区 N 条 / 全部 M 条). Counted by each
    letter's main suggestion instead, as the report did, the two figures of one campaign differed wherever a
    letter raised several asks."""
    region = records["region"].astype("string").replace("", pd.NA)
    if kind == "theme":
        if "theme_id" not in records:
            return None
        pairs = pd.DataFrame({"region": region.to_numpy(), "item": records["theme_id"].astype("string").to_numpy()})
    else:
        if table is None or "member_ids" not in table or "id" not in records:
            return None
        ids = table["member_ids"].fillna("").astype(str).str.split(";")
        of_id = pd.Series(region.to_numpy(), index=records["id"].astype(str).to_numpy())
        of_id = of_id[~of_id.index.duplicated()]
        members = pd.Series(np.concatenate(ids.to_numpy()) if len(ids) else np.array([], dtype=object))
        pairs = pd.DataFrame({"region": members.map(of_id).to_numpy(),
                              "item": np.repeat(table["suggestion_id"].astype(str).to_numpy(), ids.str.len())})
    return pairs.dropna().value_counts().rename("n").reset_index()


def _names(table: pd.DataFrame | None, ids: tuple[str, ...], name: str) -> dict[str, str] | None:
    """Id → ``name`` of a result table (its id under the first of ``ids`` it has); None without the table."""
    column = next((c for c in ids if table is not None and c in table), None)
    if column is None or name not in table:
        return None
    return dict(zip(table[column].astype(str), table[name].fillna("").astype(str), strict=True))


def _most_raised(counts: pd.DataFrame, names: dict[str, str]) -> pd.Series:
    """Per region, its :data:`REGION_TOP` items with the most letters (:func:`region_items`), as ``name（n）、…``
    (items without a name left out), the most first, then by name."""
    counts = counts.copy()
    counts["name"] = counts["item"].map(names).fillna("").str.rstrip("。.")
    counts = counts[counts["name"] != ""].sort_values(["region", "n", "name"], ascending=[True, False, True])
    counts = counts.groupby("region", sort=False).head(REGION_TOP)
    counts["item"] = counts["name"] + "（" + counts["n"].map("{:,}".format) + "）"
    return counts.groupby("region", sort=False)["item"].agg("、".join)


def _departments(records: pd.DataFrame) -> pd.DataFrame | None:
    if "department" not in records:
        return None
    frame = pd.DataFrame({"department": records["department"].fillna(UNASSIGNED).astype(str)})
    frame["confidence"] = records.get("department_confidence", pd.Series(float("nan"), index=records.index))
    frame["needs_review"] = records.get("needs_review", pd.Series(False, index=records.index)).fillna(False)
    grouped = frame.groupby("department").agg(messages=("department", "size"),
                                             mean_confidence=("confidence", "mean"),
                                             needs_review=("needs_review", "sum"))
    grouped = grouped.sort_values("messages", ascending=False).reset_index()
    grouped["share"] = (grouped["messages"] / grouped["messages"].sum()).round(4)
    grouped["mean_confidence"] = grouped["mean_confidence"].round(3)
    grouped["needs_review"] = grouped["needs_review"].astype("int64")
    grouped["review_share"] = (grouped["needs_review"] / grouped["messages"]).round(4)
    return grouped[["department", "messages", "share", "mean_confidence", "needs_review", "review_share"]]


def _table(frame: pd.DataFrame | None) -> pd.DataFrame | None:
    """A result table as a report shows it: masked again, ``None`` when absent or empty."""
    return None if frame is None or frame.empty else _mask_frame(frame)


def _themes(themes: pd.DataFrame | None) -> pd.DataFrame | None:
    """Themes with ``level`` 1 (broad) or 2 (fine) and ``parent`` ('' for broad ones), largest first."""
    themes = _table(themes)
    if themes is None:
        return None
    themes = themes.rename(columns={"theme id": "theme_id", "id": "theme_id", "parent_id": "parent",
                                    "n_users": "n_people"})
    if "parent" not in themes:
        themes["parent"] = ""
    themes["parent"] = themes["parent"].fillna("").astype(str)
    themes["theme_id"] = themes["theme_id"].astype(str)
    # The theme stage writes level as "broad"/"fine"; a numeric level or none at all works too.
    level = pd.to_numeric(themes.get("level"), errors="coerce") if "level" in themes else None
    if level is None or level.isna().any():
        level = themes["parent"].eq("").map({True: 1, False: 2})
    themes["level"] = level.astype("int64")
    if "label" in themes:
        labels = dict(zip(themes["theme_id"], themes["label"].fillna("").astype(str), strict=False))
        themes["parent_label"] = themes["parent"].map(lambda p: labels.get(p, p))
    sort = ["level", "n_messages"] if "n_messages" in themes else ["level"]
    themes = themes.sort_values(sort, ascending=[True, False][: len(sort)], kind="stable")
    return themes.head(MAX_ROWS["themes"]).fillna("").reset_index(drop=True)


def _ranked(table: pd.DataFrame | None, name: str) -> pd.DataFrame | None:
    """The first rows of a ranked table (hot issues, suggestions, novel ideas), member ids cut to a readable few.

    Only the rows shown are masked, taken first unless the rank is text (masking changes no number): a 5,000-row
    file's 287 hot issues were all masked for the 100 a report shows."""
    if table is None or table.empty:
        return None
    by = next((c for c in ("rank", "heat") if c in table), None)
    shown_first = by is None or pd.api.types.is_numeric_dtype(table[by])
    if not shown_first:
        table = _mask_frame(table)
    if by is not None:
        table = table.sort_values(by, ascending=by == "rank", kind="stable")
    table = table.head(MAX_ROWS[name])
    table = _mask_frame(table) if shown_first else table.copy()
    if "member_ids" in table:
        table["member_ids"] = table["member_ids"].map(
            lambda s: " ".join(re.split(r"[;,\s]+", str(s).strip())[:MAX_MEMBER_IDS]), na_action="ignore")
    return table.reset_index(drop=True)


def _novel(novel: pd.DataFrame | None) -> pd.DataFrame | None:
    """The novel ideas shown, each score's parts in words (novel.csv keeps the codes a program reads)."""
    novel = _ranked(novel, "novel")
    if novel is not None and "why" in novel:
        novel["why"] = novel["why"].map(score_parts, na_action="ignore")
    return novel


def _campaigns(campaigns: pd.DataFrame | None,
               records: pd.DataFrame) -> tuple[pd.DataFrame | None, pd.DataFrame | None]:
    campaigns = _table(campaigns)
    if campaigns is None:
        return None, None
    order = [c for c in ("people", "messages") if c in campaigns]
    campaigns = campaigns.sort_values(order, ascending=False).head(MAX_ROWS["campaigns"]).reset_index(drop=True)
    campaigns["campaign_id"] = campaigns["campaign_id"].astype(str)
    arrivals = None
    if {"campaign_id", "time"} <= set(records.columns):
        top = campaigns["campaign_id"].head(5).tolist()
        members = records.loc[records["campaign_id"].astype("string").isin(top), ["campaign_id", "time"]]
        times = pd.to_datetime(members["time"], errors="coerce")
        span = (times.groupby(members["campaign_id"]).agg(lambda t: t.max() - t.min())).max()
        # Bursts are minutes long: bucket finely enough to show them, coarsely enough to stay small.
        freq = "min" if span <= pd.Timedelta(hours=3) else "10min" if span <= pd.Timedelta(days=2) else "h"
        arrivals = (members.assign(time=times.dt.floor(freq)).dropna().groupby(["campaign_id", "time"])
                    .size().rename("messages").reset_index())
        arrivals.attrs["unit"] = {"min": "每分钟", "10min": "每10分钟", "h": "每小时"}[freq]
    return campaigns, arrivals


def _replies(result: AnalysisResult) -> pd.DataFrame | None:
    per_dept = _table(result.replies_by_department)
    if per_dept is not None:
        return per_dept
    replies = _table(result.replies)
    if replies is None or "department" not in replies:
        return None
    scores = [c for c in replies.select_dtypes("number").columns if c not in ("row", "id")]
    grouped = replies.groupby(replies["department"].fillna(UNASSIGNED))
    table = grouped.size().rename("replies").to_frame().join(grouped[scores].mean().round(3))
    return table.sort_values("replies", ascending=False).reset_index()


def _quality(rejects: pd.DataFrame | None,
             summary: dict) -> tuple[pd.DataFrame | None, pd.DataFrame | None, pd.DataFrame | None]:
    rejects = _table(rejects)
    by_reason = sample = None
    if rejects is not None and "reason" in rejects:
        by_reason = (rejects["reason"].fillna("未注明").value_counts().rename_axis("reason")
                     .rename("rows").reset_index())
        sample = rejects.head(MAX_ROWS["rejects"])
        if summary.get("source"):  # a platform run: file and row are the internal export's; the id is the reader's
            sample = sample.drop(columns=["source", "row"], errors="ignore")
    return by_reason, sample, _masked(summary)


def _masked(summary: dict) -> pd.DataFrame | None:
    """Masked personal data by kind: what the analysis masked, and, when the platform took the suggestions in,
    what its intake had masked already (the analysis then finds nothing left; both are shown, neither hidden)."""
    masked, intake = summary.get("masked"), summary.get("masked_at_intake")
    masked = masked if isinstance(masked, dict) else {}
    intake = intake if isinstance(intake, dict) else {}
    kinds = list(dict.fromkeys([*intake, *masked]))
    if not kinds:
        return None
    frame = pd.DataFrame({"kind": [MASKED_KINDS.get(k, k) for k in kinds]})
    if intake:
        frame["masked_at_intake"] = [int(intake.get(k) or 0) for k in kinds]
    frame["masked_in_analysis"] = [int(masked.get(k) or 0) for k in kinds]
    return frame


def _stages(summary: dict) -> pd.DataFrame | None:
    stages = summary.get("stages")
    if not isinstance(stages, dict) or not stages:
        return None
    rows = [{"stage": STAGES.get(name, name), "seconds": (v or {}).get("seconds"),
             "peak_rss_mb": (v or {}).get("peak_rss_mb")} for name, v in stages.items()]
    return pd.DataFrame(rows)


def _options(summary: dict) -> pd.DataFrame | None:
    options = summary.get("options")
    if not isinstance(options, dict):
        return None
    # Only the options a reader can weigh, in words: a file is named by its name, never its path on the
    # analyst's disk, and flags the platform adds for itself (unknown keys) are left out.
    rows = [{"option": OPTIONS[k], "value": OPTION_VALUES.get(str(v), PurePath(str(v)).name
                                                               if k in ("model", "theme_model") else str(v))}
            for k, v in options.items() if k in OPTIONS and v is not None and not isinstance(v, dict | list)]
    return pd.DataFrame(rows) if rows else None


def _key_figures(summary: dict, records: pd.DataFrame, channels: pd.DataFrame) -> list[tuple[str, Any]]:
    people = summary.get("people")
    if people is None and "user" in records:
        people = int(records["user"].nunique())
    figures = [
        ("收到建议", summary.get("rows_in")),
        ("有效建议", summary.get("accepted", len(records) if len(records) else None)),
        ("提交人数", people),
        ("去重后不同建议", summary.get("distinct_after_duplicates")),
        ("完全重复", summary.get("exact_duplicates")),
        ("近似重复组", summary.get("near_duplicate_groups")),
        ("组织化活动", summary.get("campaigns")),
        ("组织化活动参与人数", summary.get("campaign_people")),
        ("渠道数", len(channels) if len(channels) else None),
        ("地区数", summary.get("regions") or None),
        ("无效记录", summary.get("rejected")),
        ("时间无法识别", summary.get("unparsed_times") or None),
    ]
    return [(label, value) for label, value in figures if value is not None]


def _n(value: Any) -> str:
    return f"{int(value):,}"


def _brief(description: str, limit: int = 60) -> str:
    """A hot issue's description shortened for one sentence: its closing bracket (how many people, when) stays
    whole, the text before it is cut with an ellipsis. Cutting the whole at ``limit`` left 「…可以先试点再推广（20」."""
    text, counts = description.strip(), ""
    if (match := re.search(r"（[^（）]*）$", text)) is not None:
        text, counts = text[:match.start()], match.group()
    text = text.rstrip("。.，,；; ")
    return (text if len(text) <= limit else text[:limit - 1] + "…") + counts


def _highlights(data: ReportData) -> list[str]:
    """The report in a few sentences, for a reader who reads nothing else."""
    s, out = data.summary, []
    if s.get("accepted") is not None:
        people = f"，来自 {_n(s['people'])} 人" if s.get("people") is not None else ""
        distinct = (f"；合并重复后有 {_n(s['distinct_after_duplicates'])} 条不同的建议"
                    if s.get("distinct_after_duplicates") is not None else "")
        out.append(f"共收到有效建议 {_n(s['accepted'])} 条{people}{distinct}。")
    if len(data.channels) and set(data.channels["channel"]) != {UNKNOWN_CHANNEL}:
        top = data.channels.iloc[0]
        out.append(f"全部来自{top['channel']}。" if len(data.channels) == 1 else
                   f"来自 {len(data.channels)} 个渠道，最多的是{top['channel']}（{top['share']:.0%}）。")
    if data.regions is not None:
        top = data.regions.iloc[0]
        count = s.get("regions") or len(data.regions)
        out.append(f"注明地区的建议来自 {_n(count)} 个地区，最多的是{top['region']}（{_n(top['messages'])} 条）。"
                   if count > 1 else f"注明地区的建议全部来自{top['region']}。")
    if data.departments is not None and len(data.departments):
        top = data.departments.iloc[0]
        review = int(data.departments["needs_review"].sum())
        out.append(f"涉及 {len(data.departments)} 个部门，最多的是{top['department']}（{top['share']:.0%}）；"
                   f"{_n(review)} 条建议分派置信度较低，需人工复核。")
    if data.themes is not None:
        broad = data.themes[data.themes["level"] == data.themes["level"].min()]
        if len(broad) and "n_messages" in broad:
            ordered = broad.sort_values("n_messages", ascending=False, kind="stable")
            most = ordered["n_messages"].iloc[0]
            # themes of the same size share the lead: none is "the" largest (six themes of one letter each)
            tied = [f"“{t.get('label', t['theme_id'])}”" for _, t in ordered[ordered["n_messages"] == most].iterrows()]
            if len(tied) == len(broad) > 1:
                lead = f"各含 {_n(most)} 条建议"
            elif len(tied) > 3:
                lead = f"建议最多的是{'、'.join(tied[:3])}等 {len(tied)} 个（各 {_n(most)} 条）"
            elif len(tied) > 1:
                lead = f"建议最多的是{'、'.join(tied)}（各 {_n(most)} 条）"
            else:
                lead = f"建议最多的是{tied[0]}（{_n(most)} 条）"
            out.append(f"归纳出 {len(broad)} 个大类主题，{lead}。")
    if data.suggestions is not None and "headline" in data.suggestions:
        count = s.get("suggestions", len(data.suggestions))
        top = data.suggestions.iloc[0]
        out.append(f"归并为 {_n(count)} 条不同的建议，提出人数最多的是“{str(top['headline']).rstrip('。.')}”"
                   f"（{_n(top['people'])} 人）。")
    if data.hot_issues is not None and "description" in data.hot_issues:
        out.append(f"热度最高的问题：{_brief(str(data.hot_issues['description'].iloc[0]))}。")
    if data.campaigns is not None and {"people", "distinct_arguments"} <= set(data.campaigns.columns):
        top = data.campaigns.iloc[0]
        count = s.get("campaigns", len(data.campaigns))
        out.append(f"识别出 {_n(count)} 起组织化活动，最大的一起有 {_n(top['people'])} 人参与，"
                   f"只有 {_n(top['distinct_arguments'])} 个不同论点。")
    return out


def load_report_data(out_dir: str | Path) -> ReportData:
    """Read an analysis output directory (see ``minsheng analyze --out``) into report aggregates."""
    out_dir = Path(out_dir)
    summary_only = read_result(out_dir, record_columns=[], tables=[])
    need_user = "people" not in summary_only.summary  # a million user ids are read only when counted here
    regions = REGION_COLUMNS if summary_only.summary.get("regions") else []
    result = read_result(out_dir, record_columns=[c for c in RECORD_COLUMNS if need_user or c != "user"] + regions)
    return report_data(result, out_dir)


def report_data(result: AnalysisResult, out_dir: str | Path) -> ReportData:
    """The report aggregates of ``result``, whose output directory is (or will be) ``out_dir``."""
    out_dir = Path(out_dir)
    summary, records = result.summary, result.records
    times = pd.to_datetime(records["time"], errors="coerce") if "time" in records else pd.Series(dtype="datetime64[ns]")
    if summary.get("time_start") is None and times.notna().any():
        summary = {**summary, "time_start": times.min(), "time_end": times.max()}
    channels = _channels(summary, records)
    volume, unit = _volume(records)
    campaigns, arrivals = _campaigns(result.campaigns, records)
    by_reason, sample, masked = _quality(result.rejects, summary)
    regions, located = _regions(summary, records, result.themes, result.suggestions)
    data = ReportData(
        out_dir=out_dir, summary=summary, key_figures=_key_figures(summary, records, channels),
        channels=channels, volume=volume, volume_unit=unit, departments=_departments(records),
        themes=_themes(result.themes), hot_issues=_ranked(result.hot_issues, "hot_issues"),
        suggestions=_ranked(result.suggestions, "suggestions"), novel=_novel(result.novel),
        campaigns=campaigns, campaign_arrivals=arrivals, replies=_replies(result),
        regions=None if regions is None else _mask_frame(regions), located=located,
        rejects_by_reason=by_reason, rejects_sample=sample, masked=masked, stages=_stages(summary),
        options=_options(summary),
    )
    missing = {
        "volume": (data.volume.empty, "本次分析没有带时间的建议，无法绘制时间分布"),
        "departments": (data.departments is None, "本次分析未包含部门分派"),
        "themes": (data.themes is None, "本次分析未包含主题发现"),
        "hot_issues": (data.hot_issues is None, "本次分析未包含热点问题识别"),
        "suggestions": (data.suggestions is None, "本次分析未包含建议摘编（或没有两人以上提出的建议）"),
        "novel": (data.novel is None, "没有找到只有一人提出的具体建议（或未包含建议摘编）"),
        "campaigns": (data.campaigns is None, "本次分析未发现组织化活动（或未包含该步骤）"),
        "replies": (data.replies is None, "本次分析未包含答复评价"),
        "rejects": (data.rejects_by_reason is None, "没有被拒收的记录（或未提供拒收清单）"),
        "masked": (data.masked is None, "本次分析未报告脱敏数量"),
    }
    data.notes = {name: note for name, (absent, note) in missing.items() if absent}
    data.highlights = _highlights(data)
    log.debug("report data loaded from %s; absent sections: %s", out_dir, sorted(data.notes))
    return data
