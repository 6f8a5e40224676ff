"""Candidates ranked by skill, area, open load and availability, with the reasons a dispatcher reads."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from minsheng.assistance.models import Provider
from minsheng.assistance.selectors.dispatch import candidates_for
from minsheng.assistance.services.dispatch import need_dispatch
from minsheng.assistance.services.needs import need_create

from .conftest import walk


def _names(cands):
    return [str(c.provider) for c in cands]


def test_skill_and_nearness_rank_first_and_the_far_provider_is_not_a_candidate(aid, need_a):
    cands = candidates_for(need_a)
    assert _names(cands) == ["吴社工", "郑志愿者"]  # 冯社工 serves 东风社区 only
    social, volunteer = cands
    assert social.reasons[:2] == ["同村服务（潇湘村）", "擅长智能设备教学"] and social.score == 7
    assert volunteer.reasons[:2] == ["本镇服务（茶山坳镇）", "无智能设备教学专长"] and volunteer.score == 2


def test_open_load_lowers_the_rank_and_the_limit_blocks(aid, need_a):
    # Give 吴社工 three other open cases: 7 − 1.5 = 5.5, still first; then lower the limit to 3.
    for _ in range(3):
        other = need_create(actor=aid.cadre_a, recipient=aid.grandma_a, need_type="companionship",
                            channel="cadre", description="陪聊")
        walk(other, "dispatched", aid=aid)
    social = candidates_for(need_a)[0]
    assert social.score == 5.5 and "在办3件" in social.reasons
    Provider.objects.filter(pk=aid.p_social.pk).update(max_open=3)
    cands = candidates_for(need_a)
    assert _names(cands) == ["郑志愿者", "吴社工"] and cands[1].blockers == ["已达在办上限3件"]
    need = walk(need_a, "communicated", aid=aid)
    with pytest.raises(ValidationError, match="已达在办上限"):
        need_dispatch(actor=aid.station, need=need, provider=aid.p_social)


def test_an_unavailable_provider_is_shown_but_cannot_be_chosen(aid, need_a):
    Provider.objects.filter(pk=aid.p_volunteer.pk).update(available=False)
    cands = candidates_for(need_a)
    assert cands[-1].provider == aid.p_volunteer and cands[-1].blockers == ["暂停接单"]
    need = walk(need_a, "communicated", aid=aid)
    with pytest.raises(ValidationError, match="暂停接单"):
        need_dispatch(actor=aid.station, need=need, provider=aid.p_volunteer)


def test_a_refusal_is_remembered(aid, need_a):
    from minsheng.assistance.services.dispatch import assignment_decline

    need = walk(need_a, "dispatched", aid=aid)
    assignment_decline(actor=aid.social_a, assignment=need.assignments.get(), reason="脚受伤了")
    social = next(c for c in candidates_for(need) if c.provider == aid.p_social)
    assert "曾拒接此单" in social.reasons and social.score == 5


def test_a_service_the_recipient_was_unhappy_with_is_remembered(client, aid, need_a):
    """李秀英 rated 吴社工's visit 2 不满意 (社工来得晚，教的东西太快没记住) and the need came back to be dispatched: the
    station's 派单 page ranked 吴社工 first again without a word of it (a refusal costs −2 and is said; this did
    not). The worker whose service was found wanting is marked so, and ranks lower."""
    from minsheng.assistance.services.feedback import feedback_record

    need = walk(need_a, "served", aid=aid)
    feedback_record(actor=aid.station, need=need, source="revisit", satisfaction=2, comment="教得太快")
    social = next(c for c in candidates_for(need) if c.provider == aid.p_social)
    assert "本单上次服务对象不满意" in social.reasons and social.score == 5
    client.force_login(aid.station)
    assert "本单上次服务对象不满意" in client.get(f"/assistance/needs/{need.pk}/dispatch/").content.decode()
