"""Writes of the department workbench: reassign, reply, adopt — one suggestion, a duplicate group or a theme.

Officers act on what they saw. The page sends the department each suggestion had when it was shown; the
service locks the rows and refuses the whole action if any of them moved meanwhile
(:class:`SuggestionMoved`), so nobody answers for a department that no longer holds the suggestion.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from minsheng.accounts.models import Organisation, User
from minsheng.consultation import tasks
from minsheng.consultation.access import require_officer
from minsheng.consultation.analysis.models import DigestSuggestion, Theme
from minsheng.consultation.handling import undo
from minsheng.consultation.handling.deadlines import due_for
from minsheng.consultation.handling.models import HandlingEvent
from minsheng.consultation.intake.models import Suggestion
from minsheng.consultation.intake.receipts import display_receipt
from minsheng.consultation.workbench.models import DepartmentAssignment, Reply, ReplyRating, SuggestionReply
from minsheng.consultation.workbench.notify import notifications_plan

STATUS_OF = {Reply.Outcome.REPLIED: Suggestion.Status.REPLIED, Reply.Outcome.ADOPTED: Suggestion.Status.ADOPTED,
             Reply.Outcome.PARTLY_ADOPTED: Suggestion.Status.PARTLY_ADOPTED,
             Reply.Outcome.NOTED: Suggestion.Status.NOTED}
MAX_AT_ONCE = 20_000


ANSWERED = frozenset(STATUS_OF.values())


class SuggestionMoved(ValidationError):
    """Some suggestions changed department after the officer saw them."""


class AnsweredMeanwhile(ValidationError):
    """Some suggestions shown waiting were answered by another officer before this answer was sent."""


def lock_held(ids: Sequence[int], department: Organisation) -> list[Suggestion]:
    rows = list(Suggestion.objects.select_for_update().filter(pk__in=list(ids)).select_related("campaign")
                .order_by("pk"))
    if len(rows) != len(set(ids)):
        raise ValidationError(_("部分建议不存在"))
    moved = [display_receipt(s.receipt) for s in rows if s.department_id != department.pk]
    if moved:
        raise SuggestionMoved(_("以下建议已转至其他部门，未作处理，请刷新后重试：{value}").format(value='、'.join(moved[:10]))
                              + (_("等") if len(moved) > 10 else ""))
    return rows


@transaction.atomic
def suggestion_reassign(*, user: User, suggestion_id: int, from_department: Organisation,
                        to_department: Organisation, reason: str = "") -> Suggestion:
    """Move a misrouted suggestion; the correction is kept and trains the next router, and is a line (转交) of
    its 办理记录."""
    require_officer(user, from_department.pk)
    if to_department.kind != Organisation.Kind.DEPARTMENT or to_department == from_department:
        raise ValidationError({"to_department": _("请选择另一个承办部门")})
    [suggestion] = lock_held([suggestion_id], from_department)
    if not suggestion.campaign.departments.filter(pk=to_department.pk).exists():
        raise ValidationError({"to_department": _("该部门不是本次征集的承办部门")})
    DepartmentAssignment.objects.create(suggestion=suggestion, from_department=from_department,
                                        to_department=to_department, by=user, reason=reason[:200])
    suggestion.department, suggestion.department_locked = to_department, True
    # 转办: the receiving department's own time limit starts now.
    suggestion.due_at, suggestion.extended = due_for(suggestion.campaign, to_department.pk), False
    suggestion.save(update_fields=["department", "department_locked", "due_at", "extended"])
    moved = _("转交至%(name)s") % {"name": to_department.name}
    HandlingEvent.objects.create(suggestion=suggestion, department=from_department, actor=user,
                                 action=HandlingEvent.Action.REASSIGN, due_at=suggestion.due_at,
                                 text=(f"{moved}：{reason.strip()}" if reason.strip() else moved)[:300])
    return suggestion


@transaction.atomic
def reply_send(*, user: User, department: Organisation, suggestion_ids: Sequence[int], text: str,
               outcome: str = Reply.Outcome.REPLIED, note: str = "", scope: str = "one",
               theme: Theme | None = None, digest: DigestSuggestion | None = None,
               only_waiting: bool = False) -> Reply:
    """Answer suggestions of ``department`` (one, a duplicate group, a theme or a suggestion of the digest)
    with one reply.

    Every contributor who left a contact is notified once per outcome, even if the same suggestion is
    answered again as part of another group. ``only_waiting``: the officer was shown them waiting (the form of a
    suggestion not yet answered, a group's 未办 ones); if another officer answered one since, nothing is sent
    (the rows are locked, so of two officers answering at once the second is refused) and the error names them.
    """
    require_officer(user, department.pk)
    text, note = text.strip(), note.strip()
    if not text:
        raise ValidationError({"text": _("请填写答复内容")})
    if outcome not in Reply.Outcome.values:
        raise ValidationError({"outcome": _("未知的处理结果")})
    if outcome != Reply.Outcome.REPLIED and not note:
        raise ValidationError({"note": _("采纳情况请附说明（采纳了什么、落实到哪里）")})
    if outcome == Reply.Outcome.REPLIED and note:  # a plain reply has no adoption to explain: it was dropped unseen
        raise ValidationError({"note": _("选择“已答复”时不填写采纳说明：要说明采纳情况，请选择采纳、部分采纳或留作参考；"
                                         "要告诉建议人的，请写在答复内容里。")})
    if not suggestion_ids or len(suggestion_ids) > MAX_AT_ONCE:
        raise ValidationError(_("请选择要答复的建议"))
    rows = lock_held(suggestion_ids, department)
    answered = [display_receipt(s.receipt) for s in rows if s.status in ANSWERED] if only_waiting else []
    if answered:
        raise AnsweredMeanwhile(_("以下建议刚刚已由他人答复，这次未提交，请查看答复后再决定是否再次答复：{value}").format(
            value="、".join(answered[:10])) + (_("等") if len(answered) > 10 else ""))
    campaigns = {s.campaign_id for s in rows}
    if len(campaigns) != 1:
        raise ValidationError(_("一次答复只能针对同一个征集活动"))
    reply = Reply(campaign_id=campaigns.pop(), department=department, author=user, outcome=outcome,
                  text=text, note=note, scope=scope, theme=theme, digest=digest, created_at=timezone.now())
    reply.full_clean()
    reply.save()
    SuggestionReply.objects.bulk_create([SuggestionReply(reply=reply, suggestion=s) for s in rows],
                                        ignore_conflicts=True)
    before = [[s.pk, s.status, s.answered_at.isoformat() if s.answered_at else None] for s in rows]
    Suggestion.objects.filter(pk__in=[s.pk for s in rows]).update(status=STATUS_OF[outcome],
                                                                  answered_at=reply.created_at)
    for s in rows:
        s.status, s.answered_at = STATUS_OF[outcome], reply.created_at
    pending = notifications_plan(suggestions=rows, kind=outcome, reply_id=reply.pk)
    # Its author may take it back (one suggestion or a whole group alike), so the messages wait out the window.
    # Worded by what was answered, not by the form it came from: a group that reaches one suggestion (the rest
    # answered before) is one answer.
    label = (_("答复建议 %(r)s") % {"r": display_receipt(rows[0].receipt)} if len(rows) == 1
             else _("整组答复 %(n)s 条建议") % {"n": f"{len(rows):,}"})
    delay = undo.record(kind=undo.UndoableAction.Kind.REPLY, actor=user, campaign_id=reply.campaign_id,
                        object_id=reply.pk, before={"rows": before}, label=label).deadline
    # The answer is a line of each suggestion's 办理记录, among 分派, 延期 and 撤销 (which leaves this one standing).
    line = _answer_line(reply, label, len(rows))
    HandlingEvent.objects.bulk_create([HandlingEvent(suggestion_id=s.pk, department=department, actor=user,
                                                     action=outcome, text=line, at=reply.created_at) for s in rows],
                                      batch_size=2000)
    if pending:
        transaction.on_commit(lambda: notifications_enqueue(pending, after=delay))
    return reply


def _answer_line(reply: Reply, label: str, n: int) -> str:
    """What the 办理记录 says of an answer (its outcome is the line's action): the 采纳说明 of an adoption, the
    text of a reply; a group answer's after the group's label (整组答复 N 条建议)."""
    said = " ".join((reply.note if reply.outcome != Reply.Outcome.REPLIED else reply.text).split())
    line = f"{label}：{said}" if n > 1 else said
    return line if len(line) <= 300 else line[:299] + "…"


def notifications_enqueue(ids: list[int], *, after=None) -> None:
    """Queue the messages, not before ``after`` where the task backend can wait (the database worker can;
    the immediate backend of the tests sends at once, and then the answer can no longer be taken back)."""
    task = tasks.notifications_send
    if after is not None and task.get_backend().supports_defer:
        task = task.using(run_after=after)
    task.enqueue(ids)


def suggestion_adopt(*, user: User, department: Organisation, suggestion_ids: Sequence[int], outcome: str,
                     note: str, text: str = "", scope: str = "one", theme: Theme | None = None,
                     digest: DigestSuggestion | None = None, only_waiting: bool = False) -> Reply:
    """Record 采纳 / 部分采纳 / 留作参考 with a note; the note is what the public results page shows."""
    if outcome == Reply.Outcome.REPLIED:
        raise ValidationError({"outcome": _("请选择采纳、部分采纳或留作参考")})
    label = Reply.Outcome(outcome).label if outcome in Reply.Outcome.values else ""
    return reply_send(user=user, department=department, suggestion_ids=suggestion_ids,
                      text=text or _("您的建议已{label}。{note}").format(label=label, note=note), outcome=outcome, note=note, scope=scope,
                      theme=theme, digest=digest, only_waiting=only_waiting)


@transaction.atomic
def reply_rate(*, suggestion: Suggestion, rating: str, comment: str = "") -> ReplyRating:
    """The citizen rates the latest reply from the receipt page (the receipt code is the credential).

    不满意 sends the suggestion back to the department's 未办 (状态 办理中) for another answer; a later reply
    can be rated again.
    """
    from minsheng.consultation.workbench.selectors import latest_reply

    reply = latest_reply(suggestion)
    if reply is None:
        raise ValidationError(_("部门还没有答复，暂时不能评价"))
    if ReplyRating.objects.filter(suggestion=suggestion, reply=reply).exists():
        raise ValidationError(_("您已经评价过这次答复"))
    rated = ReplyRating(suggestion=suggestion, reply=reply, rating=rating, comment=(comment or "").strip())
    rated.full_clean()
    rated.save()
    if rating == ReplyRating.Rating.UNSATISFIED:
        # Reopened: the department answers again within a fresh time limit.
        suggestion.status, suggestion.answered_at = Suggestion.Status.IN_REVIEW, None
        suggestion.due_at = due_for(suggestion.campaign, suggestion.department_id)
        Suggestion.objects.filter(pk=suggestion.pk).update(status=suggestion.status, answered_at=None,
                                                           due_at=suggestion.due_at)
    return rated
