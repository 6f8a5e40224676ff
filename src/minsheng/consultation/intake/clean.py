"""Validation of one incoming suggestion, shared by the API, the public page and file imports.

Every problem becomes an :class:`ItemError` with a stable ``code`` and the ``field`` concerned, so a partner
can fix exactly the item that was wrong while the rest of its batch is stored.
"""

from __future__ import annotations

import math
import unicodedata
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from minsheng.consultation.intake.contact import contact_problem

MODERATION_WORDS = ("法轮", "六合彩", "代开发票", "枪支出售", "冰毒")


@dataclass(frozen=True)
class ItemError:
    code: str
    field: str | None
    message: str

    def as_dict(self) -> dict:
        return {"code": self.code, "field": self.field, "message": self.message}


@dataclass
class CleanItem:
    text: str
    title: str = ""
    region: str = ""
    contact: str = ""
    author_name: str = ""
    external_id: str | None = None
    submitted_at: datetime | None = None
    likes: int = 0
    extras: dict = field(default_factory=dict)


_LIMITS = {"title": 200, "region": 100, "contact": 200, "author_name": 100, "external_id": 100}
# Times a suggestion can really have been written at (year 1 or 9999 overflow the database's time zone maths).
EARLIEST = datetime(1990, 1, 1)
FUTURE_SLACK = timedelta(days=1)
# The UTC offsets clocks really use run from -12:00 to +14:00; ISO 8601 lets a string say +19:15, which
# PostgreSQL refuses to store ("time zone displacement out of range").
OFFSETS = (timedelta(hours=-12), timedelta(hours=14))
LIKES_MAX = 2**31 - 1  # what the column holds on every database


def _bad_characters(name: str, value: str, errors: list[ItemError]) -> bool:
    """A lone surrogate cannot be stored as UTF-8 and PostgreSQL refuses NUL: each is this item's error."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        errors.append(ItemError("invalid_character", name, _("{name} 含有无法编码的字符（孤立代理项）").format(name=name)))
        return True
    if "\x00" in value:
        errors.append(ItemError("invalid_character", name, _("{name} 含有空字符（NUL）").format(name=name)))
        return True
    return False


#: Fewest letters or digits a suggestion from the public page or a partner's feed has: 好 or 修路！ is nothing an
#: office can act on (the partner API stored them while the page refused them). An imported file is an archive
#: of what people wrote elsewhere, stored as written.
MIN_WORD_CHARS = 5


def word_count(text: str) -> int:
    """Letters and digits: what the minimum counts (punctuation, blanks and emoji say nothing to act on)."""
    return sum(unicodedata.category(ch)[0] in "LN" for ch in text)


def visible_length(value: str) -> int:
    """Characters after NFKC, as the analysis will count them (one U+FDFA is 18 characters)."""
    return len(unicodedata.normalize("NFKC", value))


def has_visible_text(value: str) -> bool:
    """False for text made only of blanks and invisible format characters (zero-width spaces and joiners)."""
    return any(not ch.isspace() and unicodedata.category(ch) != "Cf" for ch in value)


def _string(raw: dict, name: str, errors: list[ItemError]) -> str:
    value = raw.get(name)
    if value is None:
        return ""
    if isinstance(value, bool) or not isinstance(value, str | int):
        errors.append(ItemError("invalid_type", name, _("{name} 必须是字符串").format(name=name)))
        return ""
    value = str(value).strip()
    if _bad_characters(name, value, errors):
        return ""
    limit = _LIMITS.get(name)
    if limit and visible_length(value) > limit:
        errors.append(ItemError("too_long", name, _("{name} 不能超过 {limit} 个字符").format(name=name, limit=limit)))
    return value


def _when(value: object, errors: list[ItemError]) -> datetime | None:
    try:
        parsed = parse_datetime(value) if isinstance(value, str) else None
    except ValueError:  # well formed but impossible, such as 2020-02-30
        parsed = None
    if parsed is None:
        errors.append(ItemError("invalid_datetime", "submitted_at", _("submitted_at 必须是 ISO 8601 时间")))
        return None
    if timezone.is_aware(parsed) and not OFFSETS[0] <= parsed.utcoffset() <= OFFSETS[1]:
        errors.append(ItemError("invalid_datetime", "submitted_at",
                                _("submitted_at 的时区偏移应在 -12:00 与 +14:00 之间")))
        return None
    naive = parsed.replace(tzinfo=None)
    if not EARLIEST <= naive <= datetime.now() + FUTURE_SLACK:
        errors.append(ItemError("out_of_range", "submitted_at",
                                _("submitted_at 应在 {EARLIEST:%Y-%m-%d} 与明天之间").format(EARLIEST=EARLIEST)))
        return None
    return parsed if timezone.is_aware(parsed) else timezone.make_aware(parsed)


def _likes(value: object, errors: list[ItemError]) -> int:
    """A count of likes as the file import reads a cell (12, "12", "1,234", "1.2万"); a negative, a fraction, a
    word or anything else not a count is this item's error, where the file import reads it as 0."""
    from minsheng.engine.values import parse_count

    if isinstance(value, str):
        number = parse_count(value)
    elif isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value):
        number = float(value)
    else:
        number = None
    if number is not None and number < 0:
        errors.append(ItemError("out_of_range", "likes", _("likes（点赞数）不能是负数")))
    elif number is not None and number > LIKES_MAX:
        errors.append(ItemError("out_of_range", "likes", _("likes（点赞数）不能超过 {limit}").format(limit=LIKES_MAX)))
    elif number is None or not number.is_integer():
        errors.append(ItemError("invalid_type", "likes", _("likes（点赞数）应为不小于 0 的整数，或“1.2万”这样的写法")))
    else:
        return int(number)
    return 0


def clean_item(raw: object, *, require_external_id: bool = False, min_words: int = 0) -> CleanItem | ItemError:
    """Check one submitted item; return the cleaned values or the first error found. ``min_words``: the fewest
    letters and digits its text may have (:data:`MIN_WORD_CHARS` for a partner's item)."""
    if not isinstance(raw, dict):
        return ItemError("invalid_item", None, _("每条建议必须是一个 JSON 对象"))
    errors: list[ItemError] = []
    text = raw.get("text")
    if not isinstance(text, str):
        errors.append(ItemError("required" if text is None else "invalid_type", "text", _("text 必须是非空字符串")))
        text = ""
    text = text.strip()
    if not errors and _bad_characters("text", text, errors):
        text = ""
    elif not has_visible_text(text) and not errors:
        errors.append(ItemError("empty", "text", _("建议内容不能为空")))
    elif not errors and not (words := word_count(text)):
        errors.append(ItemError("no_words", "text", _("请用文字写下您的建议：只有表情或符号，工作人员无法办理")))
    elif not errors and words < min_words:
        errors.append(ItemError("too_short", "text", _("建议内容太短：至少 {min} 个字（文字或数字），这一条只有 {n} 个字").format(
            min=min_words, n=words)))
    if visible_length(text) > settings.SUGGESTION_MAX_CHARS:
        errors.append(ItemError("too_long", "text", _("建议内容不能超过 {SUGGESTION_MAX_CHARS} 个字符").format(SUGGESTION_MAX_CHARS=f"{settings.SUGGESTION_MAX_CHARS:,}")))
    item = CleanItem(text=text, **{name: _string(raw, name, errors)
                                    for name in ("title", "region", "contact", "author_name")})
    if item.contact and not any(e.field == "contact" for e in errors) and (problem := contact_problem(item.contact)):
        errors.append(ItemError("unreachable_contact", "contact", problem))
    external_id = _string(raw, "external_id", errors)
    if require_external_id and not external_id and not any(e.field == "external_id" for e in errors):
        errors.append(ItemError("required", "external_id", _("external_id 必填，用于重试时去重")))
    item.external_id = external_id or None
    if raw.get("submitted_at") is not None:
        item.submitted_at = _when(raw["submitted_at"], errors)
    if raw.get("likes") is not None:
        item.likes = _likes(raw["likes"], errors)
    return errors[0] if errors else item


def needs_moderation(text: str) -> bool:
    """A tiny keyword screen for obviously unlawful content; such items wait for a moderator."""
    return any(word in text for word in MODERATION_WORDS)
