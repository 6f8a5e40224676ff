"""``report.html``: one self-contained page (ECharts, styles and data inlined) that opens offline.

The page carries aggregates and bounded samples only (see :mod:`minsheng.reports._data`), so it stays
small for a million suggestions. Tables are rendered here as plain HTML, so the page is readable even
with scripts off; a small vanilla script adds sorting and searching, and builds the charts from one
JSON block.
"""

from __future__ import annotations

import datetime as dt
from importlib import resources
from pathlib import Path
from typing import Any

import jinja2
import pandas as pd
from markupsafe import Markup

from minsheng import __version__
from minsheng.reports._data import MAX_CHANNEL_SERIES, OTHER_CHANNELS, REGION_CHART, REPLY_SCORES, ReportData
from minsheng.reports._labels import column_label, display, is_number_column

#: Columns each HTML table shows, in order (missing ones are skipped).
TABLES: dict[str, list[str] | None] = {
    "suggestions": ["rank", "headline", "description", "people", "messages", "voices", "campaigns", "likes",
                    "department", "department_confidence", "coherence", "mixed", "places", "first_time", "last_time",
                    "quote_1", "quote_2", "quote_3", "quote_4", "quote_5"],
    "novel": ["rank", "proposal", "title", "score", "department", "place", "why"],
    "regions": ["region", "messages", "share", "top_themes", "top_suggestions"],
    "channels": ["channel", "messages", "share"],
    "departments": ["department", "messages", "share", "mean_confidence", "needs_review", "review_share"],
    "themes": ["theme_id", "label", "parent_label", "keywords", "n_messages", "n_people",
               "representative_1", "representative_2", "representative_3"],
    "hot_issues": ["rank", "description", "heat", "n_messages", "n_users", "likes", "dislikes",
                   "time_start", "time_end", "place_or_group"],
    "campaigns": ["campaign_id", "people", "messages", "distinct_arguments", "burst_per_minute",
                  "burst_per_hour", "first_time", "last_time", "template", "sample_additions"],
    "replies": None,  # whatever scores the reply stage reports
    "rejects_sample": ["source", "row", "id", "field", "reason"],
    "stages": ["stage", "seconds", "peak_rss_mb"],
    "options": ["option", "value"],
}
TIMELINE_ISSUES = 20
CHART_SUGGESTIONS = 20
#: A quote, template or description in a page table is cut here (the workbook keeps more): the page must open
#: fast, and a table cell shows about four lines anyway.
HTML_TEXT = 200
SCATTER_CAMPAIGNS = 200


def _static(name: str) -> str:
    return resources.files("minsheng.reports").joinpath("static", name).read_text(encoding="utf-8")


def _table(frame: pd.DataFrame | None, name: str) -> dict[str, Any] | None:
    """Headers and cells (display text, numeric sort key) for one HTML table."""
    if frame is None or frame.empty:
        return None
    columns = [c for c in (TABLES.get(name) or frame.columns) if c in frame.columns]
    numeric = [is_number_column(frame[c]) for c in columns]
    long = [c.startswith(("representative", "template", "description", "sample", "keywords", "quote", "proposal", "top_"))
            for c in columns]
    wrap = [c.startswith(("headline", "title")) for c in columns]  # what a row is read by: wraps on a phone
    cells = []
    for col, number, is_long in zip(columns, numeric, long, strict=True):
        timelike = pd.api.types.is_datetime64_any_dtype(frame[col])
        cells.append([(_cut(display(col, v)) if is_long else display(col, v), v if number and pd.notna(v) else
                       v.isoformat() if timelike and pd.notna(v) else None) for v in frame[col].tolist()])
    return {"id": name, "headers": [column_label(c) for c in columns], "numeric": numeric,
            "long": long, "wrap": wrap,
            "rows": [list(row) for row in zip(*cells, strict=True)]}


def _cut(text: str, limit: int = HTML_TEXT) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _iso(ts: Any) -> str | None:
    return None if pd.isna(ts) else pd.Timestamp(ts).isoformat()


def _theme_tree(themes: pd.DataFrame) -> list[dict[str, Any]]:
    """Two-level tree for the treemap: broad themes with their fine themes as children."""
    def node(row: pd.Series) -> dict[str, Any]:
        return {"name": str(row.get("label") or row["theme_id"]), "value": int(row.get("n_messages") or 0),
                "keywords": str(row.get("keywords", "")), "people": int(row.get("n_people") or 0),
                "quote": _cut(str(row.get("representative_1", "")), 100)}
    top = themes[themes["level"] == themes["level"].min()]
    ids = set(top["theme_id"])
    tree = {tid: {**node(row), "children": []} for tid, row in top.set_index("theme_id", drop=False).iterrows()}
    for _, row in themes[themes["level"] != themes["level"].min()].iterrows():
        if row["parent"] in ids:
            tree[row["parent"]]["children"].append(node(row))
    return [{k: v for k, v in n.items() if k != "children" or v} for n in tree.values()]


def chart_data(data: ReportData) -> dict[str, Any]:
    """The JSON the page's script turns into charts; a key is present only when its section is."""
    charts: dict[str, Any] = {}
    if len(data.channels) > 1:  # one channel is one whole circle: the key figures already say which
        top = data.channels.head(MAX_CHANNEL_SERIES - 1)
        charts["channels"] = [{"name": r.channel, "value": int(r.messages)} for r in top.itertuples()]
        rest = int(data.channels["messages"].iloc[len(top):].sum())
        if rest:
            charts["channels"].append({"name": OTHER_CHANNELS, "value": rest})
    if not data.volume.empty:
        charts["volume"] = {"unit": data.volume_unit, "times": [_iso(t) for t in data.volume.index],
                            "series": [{"name": str(c), "data": data.volume[c].astype(int).tolist()}
                                       for c in data.volume.columns]}
    if data.departments is not None:
        d = data.departments
        charts["departments"] = {"names": d["department"].tolist(), "messages": d["messages"].tolist(),
                                 "review": d["needs_review"].tolist(),
                                 "confidence": d["mean_confidence"].where(d["mean_confidence"].notna()).tolist()}
    if data.suggestions is not None and "people" in data.suggestions:
        top = data.suggestions.head(CHART_SUGGESTIONS)
        charts["suggestions"] = [{"rank": int(r["rank"]), "headline": str(r["headline"]), "people": int(r["people"]),
                                  "messages": int(r["messages"]),
                                  "department": "" if pd.isna(r.get("department")) else str(r["department"])}
                                 for _, r in top.iterrows()]
    if data.regions is not None:  # the platform overview's chart: the most suggestions first
        charts["regions"] = [{"name": r.region, "value": int(r.messages)}
                             for r in data.regions.head(REGION_CHART).itertuples()]
    if data.themes is not None:
        charts["themes"] = _theme_tree(data.themes)
    hot = data.timed_hot_issues(TIMELINE_ISSUES)
    if hot is not None:
        charts["hot"] = [{"name": f"{r.get('rank', i + 1)}. {str(r.get('description', ''))[:24]}",
                          "start": _iso(r["time_start"]), "end": _iso(r["time_end"]),
                          "heat": float(r.get("heat") or 0), "messages": int(r.get("n_messages") or 0)}
                         for i, (_, r) in enumerate(hot.iterrows())]
    if data.campaigns is not None and {"people", "distinct_arguments"} <= set(data.campaigns.columns):
        camp = data.campaigns.head(SCATTER_CAMPAIGNS)
        charts["campaigns"] = [{"id": r["campaign_id"], "people": int(r["people"]),
                                "distinct": int(r["distinct_arguments"]), "messages": int(r.get("messages") or 0),
                                "template": str(r.get("template", ""))[:60]} for _, r in camp.iterrows()]
    if data.campaign_arrivals is not None and not data.campaign_arrivals.empty:
        arr = data.campaign_arrivals
        charts["arrivals"] = {"unit": arr.attrs.get("unit", ""), "series": [
            {"name": str(cid), "data": [[_iso(t), int(n)] for t, n in zip(g["time"], g["messages"], strict=True)]}
            for cid, g in arr.groupby("campaign_id")]}
    if data.replies is not None and any(c in data.replies.columns for c in REPLY_SCORES):
        r = data.replies
        metrics = [c for c in REPLY_SCORES if c in r.columns]
        charts["replies"] = {"names": r["department"].astype(str).tolist(), "metrics": [
            {"name": column_label(m), "data": r[m].round(3).tolist()} for m in metrics]}
    if data.rejects_by_reason is not None:
        charts["rejects"] = [{"name": str(r.reason), "value": int(r.rows)} for r in data.rejects_by_reason.itertuples()]
    if data.masked is not None:
        columns = [c for c in ("masked_at_intake", "masked_in_analysis") if c in data.masked]
        # A kind nothing was masked of is no bar: the masker knows more kinds (plates, dashed flats…) than most
        # files hold, and a row of empty bars with their "0" labels crowds a phone's width. The table lists them all.
        m = data.masked[data.masked[columns].sum(axis=1) > 0]
        if len(m):
            charts["masked"] = {"kinds": m["kind"].tolist(), "series": [
                {"key": c, "name": column_label(c), "data": m[c].astype(int).tolist()} for c in columns]}
    return charts


def render_html(data: ReportData) -> str:
    """The whole page as one string."""
    env = jinja2.Environment(loader=jinja2.PackageLoader("minsheng.reports", "templates"),
                             autoescape=True, trim_blocks=True, lstrip_blocks=True)
    tables = {name: _table(getattr(data, name), name) for name in TABLES}
    return env.get_template("report.html").render(
        data=data, tables=tables, charts=chart_data(data), display=display,
        generated=dt.datetime.now().strftime("%Y-%m-%d %H:%M"), version=__version__,
        css=Markup(_static("report.css")),
        script=Markup(_static("report.js")), shared=Markup(_static("shared-charts.js")),
        echarts=Markup(_static("echarts.min.js")),
    )


def write_html(data: ReportData, path: str | Path) -> Path:
    """Write ``report.html`` and return its path."""
    path = Path(path)
    path.write_text(render_html(data), encoding="utf-8")
    return path
