"""How heavy the HTML report is for its reader: size on disk and time to interactive in a real browser.

Time to interactive is measured inside the page: ``report.js`` sets ``window.__reportReady`` to
``performance.now()`` (milliseconds since navigation start) once every chart is drawn and every table
is sortable. The browser is Debian's chromium driven by Playwright (a dev dependency).
"""

from __future__ import annotations

import statistics
import time
from pathlib import Path
from typing import Any

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--no-first-run", "--disable-sync"]
READY = "window.__reportReady !== undefined"


def launch_chromium(playwright: Any) -> Any:
    """A headless Debian chromium (never a downloaded browser build)."""
    return playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)


def open_report(browser: Any, html: Path, timeout_ms: int = 60_000) -> tuple[Any, list[str]]:
    """A new page (of a browser or a context) with ``html`` loaded and ready, and its console problems."""
    page = browser.new_page()
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type in ("error", "warning") else None)
    page.on("pageerror", lambda e: problems.append(str(e)))
    page.goto(html.resolve().as_uri(), wait_until="commit")
    page.wait_for_function(READY, timeout=timeout_ms)
    return page, problems


def time_to_interactive(html: Path, runs: int = 3, timeout_ms: int = 60_000) -> float:
    """Median seconds from navigation start until the report is drawn and interactive, over fresh pages."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise RuntimeError("the report benchmark needs playwright: pip install playwright") from exc
    times = []
    with sync_playwright() as p:
        browser = launch_chromium(p)
        try:
            for _ in range(runs):
                page, _ = open_report(browser, html, timeout_ms)
                times.append(page.evaluate("window.__reportReady") / 1000)
                page.close()
        finally:
            browser.close()
    return statistics.median(times)


def report_bench(out_dir: str | Path) -> dict[str, float]:
    """Write the reports for ``out_dir`` and measure them; every value is a number for `minsheng bench`.

    ``report_seconds``: writing HTML, XLSX and PDF; ``report_html_mb``: size of report.html (target ≤ 5);
    ``report_tti_seconds``: time to interactive in headless chromium (target ≤ 2).
    """
    from minsheng.reports import write_reports

    start = time.perf_counter()
    written = write_reports(out_dir)
    seconds = time.perf_counter() - start
    html = written["html"]
    return {
        "report_seconds": round(seconds, 2),
        "report_html_mb": round(html.stat().st_size / 1e6, 2),
        "report_xlsx_mb": round(written["xlsx"].stat().st_size / 1e6, 2),
        "report_pdf_mb": round(written["pdf"].stat().st_size / 1e6, 2),
        "report_tti_seconds": round(time_to_interactive(html), 3),
    }
