"""``{{ s.receipt|receipt }}``: a receipt code in the one form people read it (7W5MV-V8B7F), on every page.

A builtin of the template engine (settings.TEMPLATES), so no template can show the stored form by forgetting
a ``{% load %}``; the stored form (7W5MVV8B7F) stays for links and the database.
"""

from __future__ import annotations

from django import template

from minsheng.consultation.intake.receipts import display_receipt

register = template.Library()
register.filter("receipt", display_receipt, is_safe=True)
