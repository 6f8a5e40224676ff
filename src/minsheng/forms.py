"""What the platform apps' forms, views and commands share: a service's ValidationError shown on the form it
came from or as a page message; a page that is not there *yet*; dates and times typed as text, and shown as text; a timed job's
``--now`` option; the address a request came from (the public pages' limits and the sign-in lockout count by it);
a QR code drawn inline."""

from __future__ import annotations

import ipaddress
import re
import unicodedata
from collections.abc import Mapping, Sequence
from datetime import date, datetime

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.http import Http404, HttpRequest, HttpResponseRedirect
from django.shortcuts import resolve_url
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy


class NotYet(Http404):
    """A page that will exist but does not yet (results not published, no analysis finished, a report not
    written): still a 404, but the error page says what is missing instead of 页面不存在, and leads onward.

    >>> NotYet("征集结果尚未公布", "公布后会在这里展示。", onward=("/c/plan/", "返回征集活动")).title
    '征集结果尚未公布'
    """

    #: The answer's status, and its code under the API's JSON error.
    status, code = 404, "not_yet"

    def __init__(self, title: str, message: str, *, onward: tuple[str, str] | None = None) -> None:
        super().__init__(message)
        self.title, self.message, self.onward = title, message, onward


class Gone(NotYet):
    """A page that was and will not be again (a run's report whose files retention removed): the same page as
    :class:`NotYet`'s, answered 410 Gone, so a link checker or a crawler drops the address instead of retrying."""

    status, code = 410, "gone"


def add_errors(form, exc: ValidationError) -> None:
    """Put a service's ValidationError on the form: field errors on their field, the rest on top."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


def listed(messages) -> str:
    """Messages as one line the way Chinese lists them: "；" between, a full stop only at the end (Django's own
    end in "。", and "此项必填。；服务内容…" reads as two stops)."""
    words = [str(m) for m in messages]  # a form's ErrorList holds ValidationErrors until iterated
    return "；".join([m.rstrip("。") for m in words[:-1]] + words[-1:])


def error_text(exc: ValidationError) -> str:
    """A service's ValidationError as one line."""
    return listed(exc.messages)


class Refused(HttpResponseRedirect):
    """The way back to a form's page after its action was refused: the web layer keeps what was posted for that
    page (:mod:`minsheng.web.kept`), or a refused reply would be lost with it. Said by what the view returns; a
    flag set on the request by one layer and read by another hid which actions did."""


def refuse(request: HttpRequest, exc: ValidationError | str, to: str, *args, prefix: str = "", empty: str = "",
           **kwargs) -> Refused:
    """A service's ValidationError (or a view's own words) as the page's error message, for actions that
    redirect and have no form to carry it (``empty`` stands in when the error has no message of its own), and
    the way back to ``to`` (a URL, or a URL's name with its arguments, as :func:`~django.shortcuts.redirect`).

    >>> refuse(request, ValidationError("采纳情况请附说明"), "workbench-suggestion", pk=7)  # doctest: +SKIP
    """
    words = exc if isinstance(exc, str) else error_text(exc)
    messages.error(request, prefix + (words or empty))
    return Refused(resolve_url(to, *args, **kwargs))


def form_errors(form) -> ValidationError:
    """A form's errors as one service-like error, each field's named by its label (签退地点：…), for an action
    that redirects (:func:`refuse`): the page it leads to shows no bound form to carry them."""
    return ValidationError([f"{form[name].label}：{listed(errors)}" if name in form.fields else listed(errors)
                            for name, errors in form.errors.items()])


# Dates and times are typed as text, with an example in the box. The browser's own pickers (type=date,
# datetime-local) are drawn in the browser's language, not the page's: "mm/dd/yyyy, --:-- --" and an English
# calendar in an English Chromium, whatever the page's lang says. These are the ways people write them.
DATE_FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y年%m月%d日")
TIME_FORMATS = ("%H:%M", "%H:%M:%S", "%H时%M分", "%H点%M分", "%H时", "%H点")
DATETIME_FORMATS = tuple(f"{d} {t}" for d in DATE_FORMATS for t in TIME_FORMATS) + (
    "%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S")  # what the browser's picker posted, should an old page be open
_UNIT_BLANKS = re.compile(r"\s*([年月日时点分])\s*")  # 2026 年 12 月 4 日 → 2026年12月4日
_DAY_THEN_HOUR = re.compile(r"(日)(?=\d)")  # 4日9时 → 4日 9时, as the formats write it


def typed(value: str) -> str:
    """What was typed, as the formats read it: full-width digits and colons (０９：３０) made plain, the blanks
    around 年月日 and between date and time made one space."""
    value = unicodedata.normalize("NFKC", value).strip()
    value = _DAY_THEN_HOUR.sub(r"\1 ", _UNIT_BLANKS.sub(r"\1", value))
    return re.sub(r"\s+", " ", value)


def parse_typed_date(value: str) -> date | None:
    """A date written in any of :data:`DATE_FORMATS` (2020-01-31, 2020/1/31, 2020年1月31日), else None."""
    value = typed(value)
    for fmt in DATE_FORMATS:
        try:
            return datetime.strptime(value, fmt).date()
        except ValueError:
            continue
    return None


class TypedDateTimeField(forms.DateTimeField):
    """A date and time typed as text (:data:`DATETIME_FORMATS`), shown as 2026-12-04 09:30, with that example
    in the box instead of the browser's picker."""

    widget = forms.DateTimeInput(format="%Y-%m-%d %H:%M", attrs={
        "placeholder": gettext_lazy("如 2026-12-04 09:30"), "autocomplete": "off", "spellcheck": "false"})
    default_error_messages = {"invalid": gettext_lazy("请按“2026-12-04 09:30”这样填写日期和时间")}

    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("input_formats", DATETIME_FORMATS)
        super().__init__(**kwargs)

    def to_python(self, value):
        return super().to_python(typed(value) if isinstance(value, str) else value)


class ClockCommand(BaseCommand):
    """A timed job (escalation, reminders) that can be told what time it is, for drills and tests."""

    def add_arguments(self, parser):
        parser.add_argument("--now", help="pretend it is this time (ISO 8601 with offset), for drills and tests")

    @staticmethod
    def clock(now: str | None) -> datetime | None:
        if not now:
            return None
        when = parse_datetime(now)
        if when is None or when.tzinfo is None:
            raise CommandError(f"--now {now!r}: use ISO 8601 with a UTC offset, e.g. 2026-01-31T09:00+08:00")
        return when


CLOCKS = {"": "", "minutes": " %H:%M", "seconds": " %H:%M:%S"}


def _local(moment: datetime | date) -> datetime | date:
    return timezone.localtime(moment) if isinstance(moment, datetime) and timezone.is_aware(moment) else moment


def span_words(start: datetime | date | None, end: datetime | date | None, *, this_year: int,
               clock: str = "") -> str:
    """Two moments as "03-02 至 04-05" within ``this_year``, else with years ("2019-11-01 至 2020-01-15"), in local time.

    Month-day alone could be any year, and a campaign's data, a suggestion waiting in a queue, a visit left open or
    an old analysis run may be years old: the year is written whenever the time is not within this year.
    ``clock`` ("minutes" or "seconds") adds the time of day to datetimes; one moment is a span from it to itself.
    """
    if start is None or end is None:
        return "—"
    start, end = _local(start), _local(end)
    shape = "%m-%d" if start.year == end.year == this_year else "%Y-%m-%d"
    shape += CLOCKS[clock] if isinstance(start, datetime) else ""
    first, last = start.strftime(shape), end.strftime(shape)
    return first if first == last else _("{start} 至 {end}").format(start=first, end=last)  # one day: once


def moment_words(at: datetime | date | None, clock: str = "minutes") -> str:
    """One time in a list, a note or a message ("12-03 14:05", "2025-12-03 14:05"), by :func:`span_words`' rule."""
    return span_words(at, at, this_year=timezone.localdate().year, clock=clock)


def dated_words(at: datetime | date | None, clock: str = "minutes") -> str:
    """One time with its year always, in the shape every page writes ("2026-12-08 14:05": :func:`span_words`'), for
    a record read across years: a need's history, a recipient's, the slip she keeps.
    Why: by :func:`moment_words`' rule the slip said 12-08 的服务 and 12-22 前有效, a need's timeline 12-08 then
    01-05, and a printed slip or a record read in another year does not say which year; the language's own format
    (2026年12月8日) wrote a second shape beside 12-10 09:00 on one line (tests/web/project/test_one_date_format.py)."""
    return span_words(at, at, this_year=0, clock=clock)  # no year is "this year": the year is always written


def end_words(start: datetime | None, end: datetime | None) -> str:
    """The end of something begun at ``start`` ("01:20" on the same day, else its :func:`moment_words`, "12-07 01:20").

    Why: a visit's 签退 was written as a time of day alone, so one that ended after midnight read as ending before
    it began (签到 12-06 22:27 · 签退 01:20)."""
    if end is None:
        return "—"
    if start is not None and _local(start).date() == _local(end).date():
        return _local(end).strftime(CLOCKS["minutes"].strip())
    return moment_words(end)


def client_address(meta: Mapping[str, str], trusted_proxies: Sequence[str] = ()) -> str:
    """The address a request came from, for per-address limits.

    ``REMOTE_ADDR`` unless it is one of ``trusted_proxies`` (addresses or networks such as ``10.0.0.0/8``):
    behind a reverse proxy every request would otherwise share the proxy's address and one citizen could
    use up everybody's limit. Then ``X-Forwarded-For`` is read from the right, skipping trusted hops, and
    the first address no trusted proxy vouches for is the client. Entries left of it are whatever the client
    chose to send, so they are never believed.
    """
    remote = meta.get("REMOTE_ADDR", "")
    networks = [ipaddress.ip_network(p, strict=False) for p in trusted_proxies]

    def trusted(address: str) -> bool:
        try:
            ip = ipaddress.ip_address(address)
        except ValueError:
            return False
        return any(ip in net for net in networks)

    if not networks or not trusted(remote):
        return remote
    hops = [h.strip() for h in meta.get("HTTP_X_FORWARDED_FOR", "").split(",") if h.strip()]
    for hop in reversed(hops):
        if not trusted(hop):
            return hop
    return hops[0] if hops else remote


def site_url(path: str) -> str:
    """``path`` (from reverse(): the script prefix in it when served under one) on the site's address, for a link
    read outside the site: a MINSHENG_SITE_URL that names the prefix too does not double it."""
    from urllib.parse import urlsplit, urlunsplit

    from django.conf import settings

    site = urlsplit(settings.MINSHENG_SITE_URL)
    base = site.path.rstrip("/")
    if base and (path == base or path.startswith(base + "/")):
        base = ""
    return urlunsplit((site.scheme, site.netloc, base + path, "", ""))


def qr_svg(text: str, box_size: int = 8) -> str:
    """``text`` as a QR code, an <svg> element to put inline in a page (no XML declaration, no file, no asset)."""
    import io

    import qrcode
    import qrcode.image.svg

    out = io.BytesIO()
    qrcode.make(text, image_factory=qrcode.image.svg.SvgPathImage, box_size=box_size).save(out)
    svg = out.getvalue().decode()
    return svg[svg.index("<svg"):]
