"""The measuring harness, called by the ``minsheng bench*`` commands only; nothing in the product imports it.

engine.py (``minsheng bench``), reports.py (report size and time to interactive in chromium), intake.py
(``bench-intake``), platform.py (``bench-platform``), routing.py (``route-bench``).
"""
