"""Pages reflow: on a phone the inbox's "left" column stands above the rest, so a hint that says 选择左侧的… points
at nothing. No page text names a side of the screen."""

from __future__ import annotations

from pathlib import Path

SRC = Path(__file__).resolve().parents[3] / "src" / "minsheng"
SIDES = ("左侧", "右侧", "左边", "右边", "左栏", "右栏")


def test_no_page_text_points_to_a_side_of_the_screen():
    found = [f"{path.relative_to(SRC)}: {word}" for path in SRC.rglob("templates/**/*.html")
             for word in SIDES if word in path.read_text()]
    assert not found, found
