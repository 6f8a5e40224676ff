"""``report.pdf``: a printable A4 brief — a cover with the key figures, charts as images, top tables.

Text is real, extractable text in an embedded CJK font. reportlab embeds TrueType outlines only, so the
font is the first installed CJK font reportlab accepts (WenQuanYi Zen Hei from ``fonts-wqy-zenhei`` on
Debian; Noto Sans CJK is CFF-based and is used for the chart images instead). Without any, reportlab's
built-in ``STSong-Light`` CID font keeps the text correct but relies on the reader's viewer for glyphs.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import logging
import struct
from pathlib import Path

import pandas as pd
from reportlab import rl_config
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import cm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfbase.pdfdoc import PDFDictionary, PDFName, PDFObject, PDFStream
from reportlab.pdfbase.ttfonts import TTFError, TTFont
from reportlab.platypus import (
    Flowable,
    KeepTogether,
    PageBreak,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from minsheng.reports import charts
from minsheng.reports._data import REPLY_SCORES, ReportData
from minsheng.reports._fonts import cjk_fonts
from minsheng.reports._labels import column_label, display, is_number_column

log = logging.getLogger(__name__)

# Streams stay binary (Flate only). ASCII85 on top runs in pure Python unless reportlab's optional C accelerator
# is installed: a fifth of the PDF's time for the chart images, and a file 15 % larger.
rl_config.useA85 = 0

ACCENT = colors.HexColor("#b42318")
MUTED = colors.HexColor("#616e7c")
TOP = 10  # rows of each table in the brief
CELL_CHARS = 90  # a quote or template in a table cell is cut to this many characters on paper
TEXT_WIDTH = A4[0] - 4 * cm


@functools.cache
def pdf_font() -> str:
    """Register and return the name of a CJK font reportlab can embed (see the module docstring)."""
    for font in cjk_fonts():
        if not font.truetype:
            continue
        try:
            pdfmetrics.registerFont(TTFont("CJK", font.path, subfontIndex=font.index))
            return "CJK"
        except TTFError as exc:
            log.debug("cannot embed %s (%s): %s", font.family, font.path, exc)
    log.warning("no embeddable CJK TrueType font found (install fonts-wqy-zenhei); using STSong-Light")
    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    return "STSong-Light"


@functools.cache
def _styles() -> dict[str, ParagraphStyle]:
    font = pdf_font()
    body = ParagraphStyle("body", fontName=font, fontSize=10, leading=16, wordWrap="CJK")
    return {
        "body": body,
        "small": ParagraphStyle("small", parent=body, fontSize=8, leading=11),
        "num": ParagraphStyle("num", parent=body, fontSize=8, leading=11, alignment=TA_RIGHT),
        "muted": ParagraphStyle("muted", parent=body, textColor=MUTED),
        "h1": ParagraphStyle("h1", parent=body, fontSize=26, leading=36, alignment=TA_CENTER, textColor=ACCENT),
        "h2": ParagraphStyle("h2", parent=body, fontSize=15, leading=22, spaceBefore=10, spaceAfter=6,
                             textColor=ACCENT),
        "center": ParagraphStyle("center", parent=body, alignment=TA_CENTER, textColor=MUTED),
        "fig_value": ParagraphStyle("fv", parent=body, fontSize=20, leading=26, alignment=TA_CENTER,
                                    textColor=ACCENT),
        "fig_label": ParagraphStyle("fl", parent=body, fontSize=9, alignment=TA_CENTER, textColor=MUTED),
    }


def _p(text: object, style: str = "body") -> Paragraph:
    escaped = str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return Paragraph(escaped, _styles()[style])


def _image(png: bytes) -> Flowable:
    """A chart (:func:`charts._png`: 8-bit RGB, not interlaced) across the text width, its compressed rows as they
    are (:class:`_PngImage`)."""
    if png[:8] != b"\x89PNG\r\n\x1a\n":
        raise ValueError("not a PNG")
    size, rows, at = None, [], 8
    while at + 8 <= len(png):
        length, kind = struct.unpack(">I4s", png[at:at + 8])
        body = png[at + 8:at + 8 + length]
        if kind == b"IHDR":
            width, height, depth, color, _, _, interlace = struct.unpack(">IIBBBBB", body)
            if (depth, color, interlace) != (8, 2, 0):
                raise ValueError(f"a PNG of bit depth {depth}, colour type {color}, interlace {interlace}: "
                                 "the charts are 8-bit RGB (2), not interlaced")
            size = width, height
        elif kind == b"IDAT":
            rows.append(body)
        elif kind == b"IEND":
            break
        at += length + 12  # length, kind, body, CRC
    if size is None or not rows:
        raise ValueError("a PNG without a header or image data")
    return _PngImage(*size, b"".join(rows), name=hashlib.md5(png).hexdigest())


class _PngImage(Flowable):
    """A PNG's compressed rows as the PDF's image stream: Flate with the PNG predictor, which PDF readers undo as a
    PNG decoder does. Why: reportlab decodes a PNG and compresses the pixels again (and its alpha channel as a soft
    mask): about 40 % of the PDF's CPU time for the five charts of a small run, on its last step."""

    def __init__(self, width: int, height: int, rows: bytes, name: str):
        super().__init__()
        self.hAlign = "CENTER"  # where reportlab's Image put the charts: centred, over the frame's padding
        self.pixels, self.rows, self.name = (width, height), rows, name
        self.drawWidth, self.drawHeight = TEXT_WIDTH, height * TEXT_WIDTH / width

    def wrap(self, *_) -> tuple[float, float]:
        return self.drawWidth, self.drawHeight

    def draw(self) -> None:
        canvas = self.canv
        if not canvas.hasForm(self.name):  # one image object per distinct PNG, as drawImage does
            canvas._doc.addForm(self.name, _PngXObject(*self.pixels, self.rows))
        canvas.saveState()
        canvas.scale(self.drawWidth, self.drawHeight)
        canvas.doForm(self.name)
        canvas.restoreState()


class _PngXObject(PDFObject):
    def __init__(self, width: int, height: int, rows: bytes):
        self.width, self.height, self.rows = width, height, rows

    def format(self, document) -> bytes:
        stream = PDFStream(content=self.rows)
        stream.dictionary.dict.update(
            Type=PDFName("XObject"), Subtype=PDFName("Image"), Width=self.width, Height=self.height,
            BitsPerComponent=8, ColorSpace=PDFName("DeviceRGB"), Filter=PDFName("FlateDecode"), Length=len(self.rows),
            DecodeParms=PDFDictionary({"Predictor": 15, "Colors": 3, "BitsPerComponent": 8, "Columns": self.width}))
        return stream.format(document)


def _cut(text: str) -> str:
    return text if len(text) <= CELL_CHARS else text[: CELL_CHARS - 1] + "…"


def _table(frame: pd.DataFrame, columns: list[str], widths: list[float] | None = None) -> Table:
    columns = [c for c in columns if c in frame.columns]
    styles = ["num" if is_number_column(frame[c]) else "small" for c in columns]
    rows = [[_p(column_label(c), st) for c, st in zip(columns, styles, strict=True)]]
    for _, r in frame.head(TOP).iterrows():
        rows.append([_p(_cut(display(c, r[c])), st) for c, st in zip(columns, styles, strict=True)])
    if widths is not None:
        widths = [w * TEXT_WIDTH for w in widths[: len(columns)]]
    table = Table(rows, colWidths=widths, repeatRows=1)
    table.setStyle(TableStyle([
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#eef2f6")),
        ("LINEBELOW", (0, 0), (-1, -1), 0.25, colors.HexColor("#d9e2ec")),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
    ]))
    return table


def _cover(data: ReportData) -> list:
    s = _styles()
    figures = [[Paragraph(display("", v), s["fig_value"]), Paragraph(label, s["fig_label"])]
               for label, v in data.key_figures]
    cells = [[f for f in figures[i:i + 3]] for i in range(0, len(figures), 3)]
    grid = Table([[Table([[a], [b]]) for a, b in row] + [_p("")] * (3 - len(row)) for row in cells],
                 colWidths=[TEXT_WIDTH / 3] * 3, rowHeights=2.4 * cm)
    grid.setStyle(TableStyle([("BOX", (0, 0), (-1, -1), 0.5, colors.HexColor("#d9e2ec")),
                              ("INNERGRID", (0, 0), (-1, -1), 0.5, colors.HexColor("#d9e2ec")),
                              ("VALIGN", (0, 0), (-1, -1), "MIDDLE")]))
    return [Spacer(1, 4 * cm), Paragraph(data.title, s["h1"]), Spacer(1, 0.6 * cm),
            Paragraph(f"建议时间：{data.time_span}" if data.time_span else "", s["center"]),
            Spacer(1, 1.5 * cm), grid, Spacer(1, 1.5 * cm),
            Paragraph(f"数据来源：{data.source}" if data.source else "", s["center"]),
            Paragraph(f"报告生成：{dt.datetime.now():%Y年%m月%d日 %H:%M}", s["center"]),
            Paragraph("本报告中的原话均已脱敏；完整数据见同目录下的分析结果文件。", s["center"]), PageBreak()]


def _section(title: str, note: str | None, *parts) -> list:
    if note:
        return [KeepTogether([_p(title, "h2"), _p(note + "。", "muted")])]
    return [KeepTogether([_p(title, "h2"), *parts[:1]]), *parts[1:]]


def _body(data: ReportData) -> list:
    n = data.notes
    story = []
    story += [_p("要点", "h2"), *[_p(f"{i}. {line}") for i, line in enumerate(data.highlights, 1)]]
    story += _section("一、总体情况", None,
        *([_image(charts.volume_chart(data))] if not data.volume.empty else []),
        Spacer(1, 6), _table(data.channels, ["channel", "messages", "share"], [0.5, 0.25, 0.25]))
    if data.suggestions is not None:
        story += _section("建议摘编", None, _p("按提出人数排序；同一模板的组织化来信只算一个声音。一致性低于 0.35 的"
                                          "建议归并不够紧密，请先看原话；标为“内容可能混杂”的建议，四成以上来信的诉求"
                                          "与其余不同，多是只共用了地名或机构名，答复或采纳前请先看原话。", "muted"),
                          Spacer(1, 4), _table(
            data.suggestions, ["rank", "headline", "people", "messages", "department", "coherence", "mixed", "quote_1"],
            [0.06, 0.3, 0.08, 0.08, 0.12, 0.08, 0.08, 0.2]))
    else:
        story += _section("建议摘编", n["suggestions"])
    if data.novel is not None:
        story += _section("金点子：只有一人提出的具体建议", None, _table(
            data.novel, ["rank", "proposal", "score", "department", "why"], [0.06, 0.5, 0.08, 0.12, 0.24]))
    if data.regions is not None:  # only when the suggestions come from regions
        story += _section("各地区建议", None, _p(data.regions_in_words + "。", "muted"), Spacer(1, 4),
                          _image(charts.regions_chart(data)), Spacer(1, 6), _table(
            data.regions, ["region", "messages", "share", "top_themes", "top_suggestions"],
            [0.14, 0.1, 0.08, 0.3, 0.38]))
    if data.departments is not None:
        story += _section("二、部门分派", None, _image(charts.departments_chart(data)), Spacer(1, 6),
                          _table(data.departments, ["department", "messages", "share", "mean_confidence",
                                                    "needs_review", "review_share"]))
    else:
        story += _section("二、部门分派", n["departments"])
    if data.themes is not None:
        fine = data.themes[data.themes["level"] == data.themes["level"].max()]
        fine = fine.sort_values("n_messages", ascending=False) if "n_messages" in fine else fine
        story += _section("三、主要主题", None, _image(charts.themes_chart(data)), Spacer(1, 6),
                          _table(fine, ["label", "keywords", "n_messages", "n_people", "representative_1"],
                                 [0.14, 0.2, 0.1, 0.1, 0.46]))
    else:
        story += _section("三、主要主题", n["themes"])
    if data.hot_issues is not None:
        chart = [_image(charts.hot_issues_chart(data))] if data.timed_hot_issues(12) is not None else []
        story += _section("四、热点问题", None, *chart, Spacer(1, 6), _table(
            data.hot_issues, ["rank", "description", "heat", "n_messages", "n_users", "place_or_group"],
            [0.07, 0.5, 0.1, 0.1, 0.1, 0.13]))
    else:
        story += _section("四、热点问题", n["hot_issues"])
    if data.campaigns is not None and {"people", "distinct_arguments"} <= set(data.campaigns.columns):
        story += _section("五、组织化活动", None, _image(charts.campaigns_chart(data)), Spacer(1, 6), _table(
            data.campaigns, ["campaign_id", "people", "messages", "distinct_arguments", "burst_per_minute",
                             "template"], [0.12, 0.1, 0.1, 0.12, 0.12, 0.44]))
    else:
        story += _section("五、组织化活动", n.get("campaigns", "无数据"))
    if data.replies is not None:
        chart = [_image(charts.replies_chart(data))] if set(REPLY_SCORES) & set(data.replies.columns) else []
        columns = ["department", "replies", "n_replies", *REPLY_SCORES, "total", "median_days", "share_late"]
        story += _section("六、答复评价", None, *chart, Spacer(1, 6), _table(data.replies, columns))
    else:
        story += _section("六、答复评价", n["replies"])
    quality = [_table(t, list(t.columns), [0.4, 0.3, 0.3] if len(t.columns) == 3 else [0.6, 0.4])
               if t is not None else _p(n[key] + "。", "muted")
               for t, key in ((data.rejects_by_reason, "rejects"), (data.masked, "masked"))]
    story += _section("七、数据质量", None, *[part for q in quality for part in (q, Spacer(1, 8))])
    story += [_p("八、方法说明", "h2"), _p(
        "建议先经校验与规范化（统一全半角、繁简体，遮盖手机号、身份证号、银行卡号、邮箱和住址门牌号，结果中职务后的人名只保留姓氏），再合并完全重复和近似重复"
        "（MinHash-LSH），识别内容雷同且集中提交的组织化活动；分类模型按置信度分派部门，低置信度进入人工复核；"
        "聚类得到主题及代表性原话，热点按数量、人数、支持与时间集中度排序。本简报只含汇总数字和少量脱敏样例。")]
    return story


def _footer(canvas, doc) -> None:
    if doc.page == 1:
        return
    canvas.saveState()
    canvas.setFont(pdf_font(), 8)
    canvas.setFillColor(MUTED)
    canvas.drawString(2 * cm, 1.2 * cm, "民声建议梳理分析报告")
    canvas.drawRightString(A4[0] - 2 * cm, 1.2 * cm, f"第 {doc.page} 页")
    canvas.restoreState()


def write_pdf(data: ReportData, path: str | Path) -> Path:
    """Write ``report.pdf`` and return its path."""
    path = Path(path)
    doc = SimpleDocTemplate(str(path), pagesize=A4, leftMargin=2 * cm, rightMargin=2 * cm, topMargin=2 * cm,
                            bottomMargin=2 * cm, title=data.title, author="民声 Minsheng", lang="zh-CN")
    doc.build(_cover(data) + _body(data), onFirstPage=_footer, onLaterPages=_footer)
    return path
