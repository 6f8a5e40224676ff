"""Two dispatchers (the station's manager and the civil-affairs admin) pick a provider for one need at once: the
second is told who was offered it, instead of silently withdrawing that offer and offering it again."""

from __future__ import annotations

import pytest
from django.test import Client

from .conftest import walk

pytestmark = pytest.mark.django_db


def _dispatch(user, need, provider, offer=""):
    client = Client()
    client.force_login(user)
    return client.post(f"/assistance/needs/{need.pk}/dispatch/", {"provider": provider.pk, "offer": offer})


def test_the_second_of_two_dispatchers_is_told_and_the_first_offer_stands(aid, need_a):
    from minsheng.assistance.models import Assignment

    need = walk(need_a, "communicated", aid=aid)
    client = Client()
    client.force_login(aid.civil)
    shown = client.get(f"/assistance/needs/{need.pk}/dispatch/").content.decode()
    assert 'name="offer" value=""' in shown and 'id="pending-offer"' not in shown
    assert _dispatch(aid.station, need, aid.p_social).status_code == 302
    late = _dispatch(aid.civil, need, aid.p_volunteer)  # the civil admin's page still showed no offer
    page = late.content.decode()
    assert late.status_code == 200
    error = page.split('id="dispatch-error">', 1)[1].split("</p>", 1)[0]
    assert error.startswith("这项需求刚刚已由周站长派给吴社工（待接单），这次未派单")
    [offer] = Assignment.objects.filter(need=need)
    assert offer.status == Assignment.Status.OFFERED and offer.provider == aid.p_social
    assert f'name="offer" value="{offer.pk}"' in page and "再次派单会撤回这一派单" in page


def test_a_dispatcher_who_saw_the_offer_may_give_the_need_to_another(aid, need_a):
    from minsheng.assistance.models import Assignment

    need = walk(need_a, "dispatched", aid=aid)
    first = Assignment.objects.get(need=need)
    assert _dispatch(aid.civil, need, aid.p_volunteer, offer=str(first.pk)).status_code == 302
    first.refresh_from_db()
    assert first.status == Assignment.Status.WITHDRAWN
    assert Assignment.objects.get(need=need, status=Assignment.Status.OFFERED).provider == aid.p_volunteer


def test_the_provider_already_offered_the_need_is_not_offered_it_again(aid, need_a):
    """Before, the dispatch page pre-selected the best candidate even when it was the one offered the need, and
    确认派单 withdrew that offer and made the same one again."""
    from minsheng.assistance.models import Assignment

    need = walk(need_a, "dispatched", aid=aid)
    first = Assignment.objects.get(need=need)
    client = Client()
    client.force_login(aid.station)
    page = client.get(f"/assistance/needs/{need.pk}/dispatch/").content.decode()
    offered = page.split(f'name="provider" value="{aid.p_social.pk}"', 1)[1].split(">", 1)[0]
    assert "disabled" in offered and "checked" not in offered and "已派给此人，待接单" in page
    again = _dispatch(aid.station, need, aid.p_social, offer=str(first.pk)).content.decode()
    assert "已派给吴社工，正在等其接单" in again
    assert list(Assignment.objects.filter(need=need).values_list("status", flat=True)) == ["offered"]
