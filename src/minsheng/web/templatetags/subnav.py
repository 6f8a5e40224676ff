"""The sub-navigations (a campaign's analysis pages, the assistance service) say which item one is on.

`{% subnav %}…{% endsubnav %}` wraps the links of a sub-navigation and marks one of them for screen readers
(aria-current) and, through app.css, for the eye: `page` on the item's own page, `true` on a page that lies under
it (a need's page under 需求, a theme's under 主题). The longest such link wins (久未联系 lies under 救助对象's
address); the links' common root (待办, 征集管理) is current on its own page only, not on everything under it.
"""

from __future__ import annotations

import re

from django import template
from django.utils.safestring import SafeString, mark_safe

register = template.Library()

_HREF = re.compile(r'<a href="([^"?#]+)')


def current_item(hrefs: list[str], path: str) -> tuple[str, str] | None:
    """(href, aria-current value) of the item ``path`` belongs to, or None."""
    if path in hrefs:
        return path, "page"
    under = [
        h for h in hrefs
        if h.endswith("/") and path.startswith(h) and not all(o.startswith(h) for o in hrefs)
    ]
    return (max(under, key=len), "true") if under else None


def mark_current(html: str, path: str) -> SafeString:
    found = current_item(_HREF.findall(html), path)
    if found:
        href, value = found
        html = html.replace(f'<a href="{href}"', f'<a href="{href}" aria-current="{value}"', 1)
    return mark_safe(html)  # noqa: S308 -- the template's own rendered output, one attribute added


class SubnavNode(template.Node):
    def __init__(self, nodelist):
        self.nodelist = nodelist

    def render(self, context):
        request = context.get("request")
        return mark_current(self.nodelist.render(context), request.path if request else "")


@register.tag
def subnav(parser, token):
    nodelist = parser.parse(("endsubnav",))
    parser.delete_first_token()
    return SubnavNode(nodelist)
