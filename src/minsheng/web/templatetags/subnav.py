"""The sub-navigations (a campaign's management and analysis pages, the assistance service) as data.

Each is a list of items (label, URL name, who may see it, further pages that lie under it) rendered by one template,
``web/subnav_items.html``; `{% campaign_subnav campaign %}` and `{% assistance_subnav %}` put one in a page. The
item of the page one is on is marked for screen readers (aria-current) and, through app.css, for the eye: `page` on
the item's own page, `true` on a page that lies under it (a need's page under 需求, a theme's under 主题, an import's
under 征集管理). The longest such address wins (久未联系 lies under 救助对象's); the items' common root (待办,
征集管理) is current on its own page only, not on everything under it, unless a page is named as lying under it.
"""

from __future__ import annotations

from dataclasses import dataclass

from django import template
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

register = template.Library()


@dataclass(frozen=True)
class Item:
    label: str | Promise
    url_name: str
    #: a flag of ``request.scope`` the reader must have to see the item (None: everyone who sees the navigation)
    needs: str | None = None
    #: URL names of pages that lie under the item although their address does not (an import under 征集管理)
    under: tuple[str, ...] = ()


CAMPAIGN = (
    Item(_("征集管理"), "campaign-manage", under=("import-new",)),
    Item(_("分析总览"), "analysis"),
    Item(_("建议摘编"), "analysis-digest"),
    Item(_("金点子"), "analysis-novel"),
    Item(_("主题"), "analysis-themes"),
    Item(_("重复与组织化"), "analysis-groups"),
    Item(_("热点问题"), "analysis-hot"),
    Item(_("检索"), "analysis-search"),
)

ASSISTANCE = (
    Item(_("待办"), "assistance:home"),
    Item(_("救助对象"), "assistance:recipients"),
    Item(_("需求"), "assistance:needs"),
    Item(_("久未联系"), "assistance:no-contact", needs="is_staff"),
    Item(_("看板"), "assistance:dashboard", needs="is_staff"),
    Item(_("审计"), "assistance:audit", needs="can_audit"),
)


def current_item(urls: list[str], path: str, under: dict[str, tuple[str, ...]] | None = None) -> tuple[str, str] | None:
    """(URL, aria-current value) of the item ``path`` belongs to, or None. ``under``: further addresses whose pages
    lie under an item's URL."""
    if path in urls:
        return path, "page"
    roots = [(u, u) for u in urls if u.endswith("/") and not all(o.startswith(u) for o in urls)]
    roots += [(prefix, u) for u, prefixes in (under or {}).items() for prefix in prefixes]
    found = [(prefix, u) for prefix, u in roots if path.startswith(prefix)]
    return (max(found, key=lambda pair: len(pair[0]))[1], "true") if found else None


def _items(context, items: tuple[Item, ...], args: tuple = ()) -> dict:
    request = context.get("request")
    scope = getattr(request, "scope", None)
    shown = [(i, reverse(i.url_name, args=args)) for i in items if i.needs is None or getattr(scope, i.needs, False)]
    under = {url: tuple(reverse(name, args=args) for name in i.under) for i, url in shown if i.under}
    found = current_item([url for _i, url in shown], request.path if request else "", under)
    return {"items": [{"label": i.label, "url": url, "current": found[1] if found and found[0] == url else None}
                      for i, url in shown]}


@register.inclusion_tag("web/subnav_items.html", takes_context=True)
def campaign_subnav(context, campaign) -> dict:
    return {**_items(context, CAMPAIGN, (campaign.slug,)), "separator": " · "}


@register.inclusion_tag("web/subnav_items.html", takes_context=True)
def assistance_subnav(context) -> dict:
    return _items(context, ASSISTANCE)
