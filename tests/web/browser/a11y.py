"""Checks every main page must pass in a real browser, at phone and desktop size.

- axe-core (vendored under ``vendor/``, MPL-2.0: nothing is fetched at test time) finds no serious or critical
  violation of WCAG 2.1 A/AA;
- the visible text carries no English sentence (three or more English words in a row): the UI speaks Chinese;
- no file input shows the browser's own button and words ("Choose File", "No file chosen": Chromium's, in the
  browser's language, out of reach of the page's text), only the site's Chinese ones;
- no date or time box is drawn by the browser (type=date, datetime-local, time…): Chromium draws it in the
  browser's language whatever the page's lang says ("mm/dd/yyyy, --:-- --" and an English calendar);
- no field left empty or wrong is met by the browser's own words ("Please fill out this field."): every
  form is checked as if sent and each message must be Chinese;
- no placeholder is cut off by its box (the part that says what to type is the part hidden: "无法定位时请填写…");
- nothing overflows the screen sideways, no table squeezes a column to one character per line, no text cut
  to a few lines shows part of the next one, and no two labels of a chart run into each other;
- a full-page screenshot is kept under ``out/screenshots/<group>/`` for a person to look at.
"""

from __future__ import annotations

import re
from pathlib import Path

VENDOR = Path(__file__).resolve().parent / "vendor" / "axe.min.js"
SCREENSHOTS = Path(__file__).resolve().parents[3] / "out" / "screenshots"
PHONE = {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 2, "is_mobile": True,
         "has_touch": True, "locale": "zh-CN"}
DESKTOP = {"viewport": {"width": 1280, "height": 900}, "locale": "zh-CN"}
# axe is injected into the page as a script, which the site's CSP (scripts from the site only) rightly refuses.
SIZES = {"phone": PHONE | {"bypass_csp": True}, "desktop": DESKTOP | {"bypass_csp": True}}
# Three English words in a row make a sentence; product names and codes (API, CSV, JSON, msk_…) do not.
ENGLISH_SENTENCE = re.compile(r"\b[A-Za-z][a-z']+(?:[ ,]+[A-Za-z][a-z']+){2,}\b")
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def serious_violations(page) -> list[str]:
    # Evaluated through the DevTools protocol, which the site's Content-Security-Policy (rightly) does not allow
    # for an inline <script> tag: the page itself runs no inline script.
    page.evaluate(VENDOR.read_text(encoding="utf-8"))
    result = page.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})",
                           AXE_TAGS)
    return [f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes'][:3]]}"
            for v in result["violations"] if v["impact"] in ("serious", "critical")]


def english_sentences(page) -> list[str]:
    return ENGLISH_SENTENCE.findall(page.evaluate("document.body.innerText"))


# A table cell squeezed to about one character per line: narrow, several lines tall, holding a word or more.
SQUEEZED = """() => [...document.querySelectorAll('main td, main th')].filter(c => {
    if (!c.offsetParent || c.textContent.trim().length < 3) return false;
    const range = document.createRange();
    range.selectNodeContents(c);
    const r = range.getBoundingClientRect(), s = getComputedStyle(c), em = parseFloat(s.fontSize);
    const line = parseFloat(s.lineHeight) || em * 1.6;
    return r.width < 2.6 * em && r.height > 2.5 * line;  // the text itself, not the row it sits in
  }).slice(0, 5).map(c => c.textContent.trim().slice(0, 20))"""


def squeezed_cells(page) -> list[str]:
    return page.evaluate(SQUEEZED)


# A text cut to a few lines (line-clamp) whose box is taller than those lines: the top of the next line shows
# below them (a table cell's padding is inside its clipping box).
PARTLY_SHOWN = """() => [...document.querySelectorAll('main *')].filter(e => {
    const s = getComputedStyle(e), lines = parseInt(s.webkitLineClamp, 10);
    if (!lines || !e.offsetParent || e.scrollHeight <= e.clientHeight + 1) return false;
    const line = parseFloat(s.lineHeight) || parseFloat(s.fontSize) * 1.6;
    return e.clientHeight > lines * line + 1;
  }).slice(0, 5).map(e => e.tagName.toLowerCase() + ': ' + e.textContent.trim().slice(0, 20))"""


def partly_shown_lines(page) -> list[str]:
    return page.evaluate(PARTLY_SHOWN)


# A file input drawn by the browser: its button and "no file chosen" are the browser's words, not the page's.
NATIVE_FILE_INPUTS = """() => [...document.querySelectorAll('input[type=file]')].filter(i => {
    const r = i.getBoundingClientRect();
    return i.offsetParent && r.width > 2 && r.height > 2 && getComputedStyle(i).opacity !== '0';
  }).map(i => i.name || i.id)"""


def native_file_inputs(page) -> list[str]:
    return page.evaluate(NATIVE_FILE_INPUTS)


# A date or time box drawn by the browser, in the browser's language ("mm/dd/yyyy, --:-- --" in an English one).
NATIVE_DATE_INPUTS = """() => [...document.querySelectorAll('input')].filter(i => i.offsetParent
    && ['date', 'datetime-local', 'time', 'month', 'week'].includes(i.type)).map(i => (i.name || i.id) + ': ' + i.type)"""


def native_date_inputs(page) -> list[str]:
    return page.evaluate(NATIVE_DATE_INPUTS)


# The message the browser shows for each field that would stop its form being sent, in the browser's words
# unless the page gives its own: every form is checked as if sent (nothing is sent).
BROWSER_WORDED = """() => {
    const found = [];
    for (const form of document.querySelectorAll('form')) {
      form.checkValidity();
      for (const field of form.elements) {
        if (field.willValidate && !field.validity.valid && !/[\u4e00-\u9fff]/.test(field.validationMessage)) {
          found.push((field.name || field.id) + ': ' + field.validationMessage);
        }
      }
    }
    return found.slice(0, 5);
  }"""


def browser_worded_messages(page) -> list[str]:
    return page.evaluate(BROWSER_WORDED)


# A one-line box whose placeholder is wider than the box: the end of the hint is cut without a mark.
CUT_PLACEHOLDERS = """() => {
    const ruler = document.createElement('canvas').getContext('2d');
    return [...document.querySelectorAll('input[placeholder]')].filter(i => {
      if (!i.offsetParent || i.value) return false;
      const s = getComputedStyle(i);
      ruler.font = s.font;
      const room = i.clientWidth - parseFloat(s.paddingLeft) - parseFloat(s.paddingRight);
      return ruler.measureText(i.placeholder).width > room + 1;
    }).map(i => (i.name || i.id) + ': ' + i.placeholder);
  }"""


def cut_placeholders(page) -> list[str]:
    return page.evaluate(CUT_PLACEHOLDERS)


# Two words of a chart (axis labels, legend, values) that overlap or nearly touch: "0100200300" under a bar chart
# on a phone, or a category's name over its neighbour's; or a word cut off by the chart's left or right edge.
# Read from the chart's own drawing (ECharts' display
# list), clipped as drawn (a scrolled legend hides items under its clip).
CROWDED_CHART_TEXT = """() => {
  const GAP = 2;  // closer than this reads as one word ("100200300")
  const corners = (r, m) => [[r.x, r.y], [r.x + r.width, r.y], [r.x + r.width, r.y + r.height], [r.x, r.y + r.height]]
    .map(([x, y]) => m ? [m[0] * x + m[2] * y + m[4], m[1] * x + m[3] * y + m[5]] : [x, y]);
  const apart = (p, q) => [p, q].some(poly => poly.some((a, i) => {  // a separating edge (rotated labels too)
    const b = poly[(i + 1) % 4], len = Math.hypot(b[0] - a[0], b[1] - a[1]) || 1;
    const n = [(a[1] - b[1]) / len, (b[0] - a[0]) / len];
    const proj = poly2 => poly2.map(c => c[0] * n[0] + c[1] * n[1]);
    const s = proj(p), t = proj(q);
    return Math.max(...s) + GAP <= Math.min(...t) || Math.max(...t) + GAP <= Math.min(...s);
  }));
  const found = [];
  for (const dom of document.querySelectorAll('[_echarts_instance_]')) {
    const chart = echarts.getInstanceByDom(dom);
    if (!chart || !dom.offsetParent) continue;
    const boxes = [];
    for (const e of chart.getZr().storage.getDisplayList()) {
      if (!e.style || !e.style.text || e.ignore || e.invisible || e.style.opacity === 0) continue;
      const r = e.getBoundingRect().clone();
      for (const clip of e.__clipPaths || []) {  // a scrolled legend's items hidden under its clip (not rotated)
        const c = clip.getBoundingRect().clone(), cm = clip.getComputedTransform(), m = e.getComputedTransform();
        if (cm) c.applyTransform(cm);
        if (m) { c.x -= m[4]; c.y -= m[5]; }
        const x = Math.max(r.x, c.x), y = Math.max(r.y, c.y);
        r.width = Math.min(r.x + r.width, c.x + c.width) - x; r.height = Math.min(r.y + r.height, c.y + c.height) - y;
        r.x = x; r.y = y;
      }
      if (!(r.width > 1 && r.height > 1)) continue;
      const box = corners(r, e.getComputedTransform()), xs = box.map(c => c[0]);
      if (Math.min(...xs) < -1 || Math.max(...xs) > dom.clientWidth + 1) found.push(dom.id + ': cut off at the edge: ' + e.style.text);
      boxes.push([e.style.text, box, e.parent]);
    }
    for (let i = 0; i < boxes.length; i++) for (let j = i + 1; j < boxes.length; j++) {
      const same = boxes[i][2] && boxes[i][2] === boxes[j][2];  // two lines of one label
      if (!same && !apart(boxes[i][1], boxes[j][1])) found.push(dom.id + ': ' + boxes[i][0] + ' / ' + boxes[j][0]);
    }
  }
  return found.slice(0, 8);
}"""


def crowded_chart_texts(page) -> list[str]:
    return page.evaluate(CROWDED_CHART_TEXT) if page.evaluate("!!window.echarts") else []


# Two buttons drawn touching (a full-width button and the one wrapped under it, with no gap): on a touch screen a
# tap meant for one lands on the other, and they read as one control.
TOUCHING_CONTROLS = """() => {
    const GAP = 2;
    const shown = [...document.querySelectorAll('main button, main .button, main input[type=submit]')]
      .filter(e => e.offsetParent && getComputedStyle(e).visibility !== 'hidden')
      .map(e => [e, e.getBoundingClientRect()]).filter(([, r]) => r.width > 2 && r.height > 2);
    const found = [];
    for (let i = 0; i < shown.length; i++) for (let j = i + 1; j < shown.length; j++) {
      const [a, r] = shown[i], [b, q] = shown[j];
      const dx = Math.max(q.left - r.right, r.left - q.right), dy = Math.max(q.top - r.bottom, r.top - q.bottom);
      if (dx < GAP && dy < GAP) found.push(a.textContent.trim().slice(0, 12) + ' / ' + b.textContent.trim().slice(0, 12));
    }
    return found.slice(0, 5);
  }"""


def touching_controls(page) -> list[str]:
    return page.evaluate(TOUCHING_CONTROLS)


def check_page(page, group: str, name: str, size: str) -> list[str]:
    """All problems of the page now shown (an empty list when it passes), after saving its screenshot."""
    folder = SCREENSHOTS / group
    folder.mkdir(parents=True, exist_ok=True)
    page.wait_for_load_state("networkidle")
    page.screenshot(path=str(folder / f"{name}-{size}.png"), full_page=True)
    problems = [f"{name}/{size}: {p}" for p in serious_violations(page)]
    problems += [f"{name}/{size}: English on the page: {s!r}" for s in english_sentences(page)]
    problems += [f"{name}/{size}: table cell one character per line: {c!r}" for c in squeezed_cells(page)]
    problems += [f"{name}/{size}: file input labelled by the browser, not in Chinese: {f!r}"
                 for f in native_file_inputs(page)]
    problems += [f"{name}/{size}: date box drawn by the browser, not in Chinese: {d!r}"
                 for d in native_date_inputs(page)]
    problems += [f"{name}/{size}: a field's message in the browser's words: {m!r}"
                 for m in browser_worded_messages(page)]
    problems += [f"{name}/{size}: placeholder cut off by its box: {c!r}" for c in cut_placeholders(page)]
    problems += [f"{name}/{size}: part of a line below a clamped text: {c!r}" for c in partly_shown_lines(page)]
    problems += [f"{name}/{size}: chart labels run into each other or off the chart: {c!r}" for c in crowded_chart_texts(page)]
    problems += [f"{name}/{size}: buttons touching: {c!r}" for c in touching_controls(page)]
    width = page.viewport_size["width"]
    if page.evaluate("document.documentElement.scrollWidth") > width:
        wide = page.evaluate("""w => [...document.querySelectorAll('body *')]
            .filter(e => e.getBoundingClientRect().right > w + 1 && ![...e.children].some(c => c.getBoundingClientRect().right > w + 1))
            .slice(0, 3).map(e => e.tagName.toLowerCase() + (e.className ? '.' + e.className : '') + ': ' + e.textContent.trim().slice(0, 30))""", width)
        problems.append(f"{name}/{size}: wider than the screen, at {wide}")
    return problems


CURRENT_ITEM = """() => [...document.querySelectorAll('nav.subnav a')].map(a => {
  const s = getComputedStyle(a);
  return {text: a.innerText.trim(), current: a.getAttribute('aria-current'), weight: Number(s.fontWeight),
          line: s.textDecorationLine, thickness: s.textDecorationThickness};
})"""


def sub_navigation_items(page) -> list[dict]:
    """Each sub-navigation item's words, aria-current and what, besides colour, could mark it: weight, underline."""
    return page.evaluate(CURRENT_ITEM)


def current_item_stands_out(page) -> tuple[str, str | None]:
    """(words, aria-current) of the one marked item; asserts it differs from every other by weight and a thick
    underline, not by colour alone."""
    items = sub_navigation_items(page)
    marked = [i for i in items if i["current"]]
    assert len(marked) == 1, items
    (current,) = marked
    others = [i for i in items if not i["current"]]
    assert current["weight"] >= 700 and all(o["weight"] < 700 for o in others), items
    assert "underline" in current["line"] and current["thickness"] == "3px", items
    return current["text"], current["current"]
