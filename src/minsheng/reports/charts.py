"""Static chart images (PNG, matplotlib) for the printable PDF brief.

The HTML report draws interactive ECharts in the browser; paper needs images. Figures are built with
the object API (no pyplot state), so reports can be written from worker threads. Chinese labels need a
CJK font: Noto Sans CJK SC from Debian's ``fonts-noto-cjk`` is preferred (``scripts/system-deps.sh``).
"""

from __future__ import annotations

import contextlib
import functools
import io
import logging
from collections.abc import Iterator

import matplotlib
import numpy as np
import pandas as pd
from matplotlib import dates as mdates
from matplotlib import font_manager
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from PIL import Image

from minsheng.reports._data import REGION_CHART, REPLY_SCORES, ReportData, chart_columns
from minsheng.reports._fonts import cjk_fonts
from minsheng.reports._labels import column_label

log = logging.getLogger(__name__)

PALETTE = ["#b42318", "#1f6feb", "#2da44e", "#bf8700", "#8250df", "#0a7ea4", "#d1242f", "#57606a"]
WIDTH = 7.0  # inches: the text width of an A4 page with 2 cm margins, roughly


@functools.cache
def cjk_family() -> str | None:
    """The preferred installed CJK font family, made known to matplotlib; None when there is none."""
    fonts = cjk_fonts()
    if not fonts:
        log.warning("no CJK font found; Chinese in charts would be boxes (bash scripts/system-deps.sh)")
        return None
    known = {f.name for f in font_manager.fontManager.ttflist}
    if fonts[0].family not in known:  # installed after matplotlib built its cache
        font_manager.fontManager.addfont(fonts[0].path)
    return fonts[0].family


@contextlib.contextmanager
def drawing(height: float) -> Iterator[Figure]:
    """A figure of the page's width in the charts' style (:func:`_style`: the CJK font first), to be built and
    drawn inside the block: matplotlib reads the font when it makes a text (a title, a tick at draw time), so a
    figure made or drawn outside the style writes Chinese in DejaVu Sans, each character a box and a "missing
    glyph" warning. Every chart goes through here; nothing else sets the font."""
    with matplotlib.rc_context(_style()):
        yield Figure(figsize=(WIDTH, height), dpi=150, layout="constrained")


def _png(fig: Figure) -> bytes:
    """The figure as an 8-bit RGB PNG, which the PDF embeds as it is (:func:`minsheng.reports.pdf._image`).

    Why not ``savefig``: it lays the figure out twice (a dry draw, then the real one; the same pixels from one) and
    writes an alpha channel, which the PDF would store as a soft mask. zlib's fastest level: half the time of the
    default and, on these flat charts, a smaller file (the PDF is 12 % larger than with pixels compressed unfiltered).
    """
    canvas = FigureCanvasAgg(fig)
    canvas.draw()
    buf = io.BytesIO()
    Image.fromarray(np.asarray(canvas.buffer_rgba())[..., :3]).save(buf, format="png", compress_level=1)
    return buf.getvalue()


def _date_axis(ax) -> None:
    """Dates on the x axis as few, short labels: year once, then months or days (ConciseDateFormatter).

    Why not ``autofmt_xdate``: over a span of weeks the default locator put a label on every other day, and the
    slanted full dates (2020-08-31, 2020-09-01) ran into one another on a 7-inch page.
    """
    locator = mdates.AutoDateLocator(minticks=3, maxticks=7)
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(  # in Chinese: the default writes "Jul", "Oct"
        locator, formats=["%Y年", "%m月", "%d日", "%H:%M", "%H:%M", "%S.%f"],
        zero_formats=["", "%Y年", "%m月", "%m月%d日", "%H:%M", "%H:%M"],
        offset_formats=["", "%Y年", "%Y年%m月", "%Y年%m月%d日", "%Y年%m月%d日", "%Y年%m月%d日 %H:%M"]))


def _style() -> dict:
    family = cjk_family()
    return {"font.family": [family, "DejaVu Sans"] if family else ["DejaVu Sans"], "font.size": 9,
            "axes.spines.top": False, "axes.spines.right": False, "axes.prop_cycle":
            matplotlib.cycler(color=PALETTE), "axes.unicode_minus": False}


def _short(text: str, n: int = 18) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"


#: Charts drawn ahead (:func:`draw_ahead`), by chart: the values they were drawn from and the image.
_AHEAD: dict[str, tuple[str, bytes]] = {}


def _values(frames) -> str:
    """The values a chart is drawn from, as text: equal for a table in memory and the same table read back
    from the output directory, whose dtypes differ (``int64``/``Int64``, ``datetime64[ns]``/``[us]``)."""
    return "\n".join(f.to_csv() if isinstance(f, pd.DataFrame) else str(f) for f in frames)


def _drawn_ahead(inputs):
    """A chart that reuses its image from :func:`draw_ahead` when drawn from the same values (``inputs(data)``)."""
    def wrap(chart):
        @functools.wraps(chart)
        def cached(data: ReportData) -> bytes:
            ahead = _AHEAD.pop(chart.__name__, None)
            if ahead is not None and ahead[0] == _values(inputs(data)):
                log.debug("%s: drawn ahead", chart.__name__)
                return ahead[1]
            return chart(data)

        cached.inputs = inputs
        return cached
    return wrap


def draw_ahead(data: ReportData) -> list[str]:
    """Draw the charts of :data:`AHEAD` from ``data`` now and keep them until a PDF asks for the same values.

    Why: ``minsheng analyze`` has the departments, themes, hot issues and campaigns before its last stage (the
    digest, which changes none of them); its report helper draws them meanwhile, and the PDF,
    written after the engine, no longer waits for matplotlib (0.5-0.7 s of a 5,000-row run; the departments'
    chart, drawn after the engine until now, was a quarter of the PDF's remaining CPU time). That core is not idle
    then: the digest's process and this one's wording share it (h-speed24, 2026-12-06), but the charts, drawn after
    the engine, would be on the critical path, and drawn at a lower priority they slid into it. A chart whose values
    differ by then is drawn again. Returns the charts drawn.
    """
    drawn = []
    for chart in AHEAD:
        try:
            _AHEAD[chart.__name__] = (_values(chart.inputs(data)), chart.__wrapped__(data))
        except (KeyError, TypeError, ValueError, AttributeError):  # a section this data lacks: nothing to draw
            continue
        drawn.append(chart.__name__)
    return drawn


@_drawn_ahead(lambda data: (data.volume, data.volume_unit))
def volume_chart(data: ReportData) -> bytes:
    with drawing(3.0) as fig:
        ax = fig.add_subplot()
        top = data.volume.iloc[:, :7]
        rest = data.volume.iloc[:, 7:].sum(axis=1)
        series = [top[c] for c in top.columns] + ([rest] if len(data.volume.columns) > 7 else [])
        labels = [str(c) for c in top.columns] + (["其他渠道"] if len(data.volume.columns) > 7 else [])
        ax.stackplot(data.volume.index, *series, labels=labels, alpha=0.8)
        fig.suptitle(f"每{data.volume_unit}建议数（按渠道）")
        ax.set_ylabel("建议数")
        fig.legend(loc="outside lower center", ncols=min(len(labels), 6), fontsize=8, frameon=False)
        _date_axis(ax)
        return _png(fig)


@_drawn_ahead(lambda data: (data.departments,))
def departments_chart(data: ReportData, top: int = 15) -> bytes:
    d = data.departments.head(top).iloc[::-1]
    with drawing(0.6 + 0.28 * len(d)) as fig:
        ax = fig.add_subplot()
        ax.barh(d["department"], d["messages"], label="建议数")
        ax.barh(d["department"], d["needs_review"], label="待人工复核", color=PALETTE[1])
        ax.set_title("各部门建议数与待人工复核数")
        ax.legend(frameon=False, loc="lower right")
        return _png(fig)


@_drawn_ahead(lambda data: (data.regions[["region", "messages"]],))
def regions_chart(data: ReportData) -> bytes:
    """The regions with the most suggestions (as the HTML's and the platform overview's bars)."""
    r = data.regions.head(REGION_CHART).iloc[::-1]
    with drawing(0.6 + 0.28 * len(r)) as fig:
        ax = fig.add_subplot()
        ax.barh([_short(str(name), 16) for name in r["region"]], r["messages"], color="#2b6cb0")
        ax.set_title(f"各地区建议数（前 {len(r)} 个）")
        ax.set_xlabel("建议数")
        return _png(fig)


@_drawn_ahead(lambda data: (chart_columns(data.themes, "themes"),))
def themes_chart(data: ReportData, top: int = 15) -> bytes:
    t = data.themes
    fine = t[t["level"] == t["level"].max()].sort_values("n_messages", ascending=False).head(top).iloc[::-1]
    parents = dict(zip(t["theme_id"], t["label"], strict=False))
    names = [_short(f"{parents.get(p, '')}·{lab}" if p else str(lab), 20)
             for p, lab in zip(fine["parent"], fine["label"], strict=True)]
    with drawing(0.6 + 0.28 * len(fine)) as fig:
        ax = fig.add_subplot()
        ax.barh(names, fine["n_messages"], color=PALETTE[0])
        ax.set_title("建议数最多的主题")
        ax.set_xlabel("建议数")
        return _png(fig)


@_drawn_ahead(lambda data: (chart_columns(data.hot_issues, "hot_issues"),))
def hot_issues_chart(data: ReportData, top: int = 12) -> bytes:
    timed = data.timed_hot_issues(top)  # drawn ahead for every result: empty when no issue has its times
    h = (data.hot_issues.iloc[:0] if timed is None else timed).iloc[::-1]
    with drawing(0.8 + 0.3 * len(h)) as fig:
        ax = fig.add_subplot()
        labels = [_short(f"{r}. {d}", 22) for r, d in zip(h.get("rank", range(len(h))), h["description"], strict=True)]
        # an issue of one day is still a visible bar on an axis of a year: at least 1/150 of the whole span
        whole = h["time_end"].max() - h["time_start"].min() if len(h) else pd.Timedelta(0)
        span = (h["time_end"] - h["time_start"]).clip(lower=max(pd.Timedelta(hours=2), whole / 150))
        ax.barh(labels, span, left=h["time_start"], color=PALETTE[0], alpha=0.8)
        ax.set_title("热点问题时间线")
        _date_axis(ax)
        return _png(fig)


@_drawn_ahead(lambda data: (chart_columns(data.campaigns, "campaigns"),))
def campaigns_chart(data: ReportData) -> bytes:
    with drawing(3.0) as fig:
        campaigns_figure(fig, data)
        return _png(fig)


def campaigns_figure(fig: Figure, data: ReportData) -> Figure:
    """The bubble chart of campaigns (people against distinct arguments, size by messages) on ``fig``
    (:func:`drawing`)."""
    c = data.campaigns
    ax = fig.add_subplot()
    sizes = 20 + 300 * (c["messages"] / max(c["messages"].max(), 1)) if "messages" in c else 40
    ax.scatter(c["people"], c["distinct_arguments"], s=sizes, alpha=0.6, color=PALETTE[0])
    ax.set_xlabel("参与人数")
    ax.set_ylabel("不同论点数")
    # Room around the data for the bubbles (up to ~19 px wide, 2 % of the axes' width, 6 % of their height):
    # a bubble at the largest count was cut in half by the axes' edge. No tick below zero, though.
    right, top = max(c["people"].max() * 1.08, 1) + 1, max(c["distinct_arguments"].max() * 1.3, 1) + 1
    ax.set_xlim(-0.04 * right, right)
    ax.set_ylim(-0.1 * top, top)
    ax.set_xticks([t for t in ax.get_xticks() if 0 <= t <= right])
    ax.set_yticks([t for t in ax.get_yticks() if 0 <= t <= top])
    ax.set_title("组织化活动：参与人数与不同论点数（点的大小为建议数）")
    return fig


def replies_chart(data: ReportData, top: int = 12) -> bytes:
    r = data.replies.head(top)
    metrics = [m for m in REPLY_SCORES if m in r.columns]
    with drawing(3.0) as fig:
        ax = fig.add_subplot()
        width = 0.8 / max(len(metrics), 1)
        for i, m in enumerate(metrics):
            ax.bar([x + i * width for x in range(len(r))], r[m], width=width, label=column_label(m))
        ax.set_xticks([x + 0.4 - width / 2 for x in range(len(r))], [_short(str(d), 8) for d in r["department"]],
                      rotation=30 if len(r) > 6 else 0)
        ax.set_ylim(0, 1)
        ax.set_title("各部门答复平均得分")
        ax.legend(frameon=False, ncols=len(metrics), loc="upper right")
        return _png(fig)


#: The charts drawn ahead: those whose data exist before the digest.
AHEAD = (volume_chart, departments_chart, regions_chart, themes_chart, hot_issues_chart, campaigns_chart)
