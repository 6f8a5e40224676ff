"""The demo seed used by `make run`: every role gets a user, five channels, suggestions routed to departments."""

from __future__ import annotations

from django.contrib.auth import authenticate

from minsheng.accounts.models import Role, User
from minsheng.accounts.selectors import user_roles
from minsheng.consultation.intake.models import Campaign, Suggestion
from minsheng.consultation.intake.selectors import channel_for_key, suggestions_for_officer
from minsheng.demo.accounts import PEOPLE
from minsheng.demo.consultation import seed_demo


def test_the_demo_has_every_role_and_working_passwords_and_keys(db):
    result = seed_demo(corpus=None, limit=120)
    assert {role for _u, _d, role, _o, _a in PEOPLE} == set(Role)
    for username, _display, role, _org, _area in PEOPLE:
        user = authenticate(username=username, password=result["passwords"][username])
        assert user is not None and role in user_roles(user)
    campaign = Campaign.objects.get(slug="plan2020")
    assert campaign.is_accepting() and campaign.channels.count() == 5
    assert all(channel_for_key(key).campaign == campaign for key in result["keys"].values())
    assert result["total"] == 120
    officer = authenticate(username="officer_a", password=result["passwords"]["officer_a"])
    assert suggestions_for_officer(user=officer).exists()


def test_the_demo_officers_names_agree_with_their_departments(db):
    """The demo's officer was "李科员（部门A）" of 交通运输局: an answer read "答复人 李科员（部门A） · 交通运输局".
    Names carry no department now (a demo seeded before loses its old one); the logins block names the real one."""
    from minsheng.accounts.services import user_create
    from minsheng.demo.management.commands.seed_demo import logins_block

    user_create(username="officer_a", display_name="李科员（部门A）")  # as an earlier seed left it
    result = seed_demo(corpus=None, limit=120)
    for username in ("officer_a", "officer_b"):
        officer = User.objects.get(username=username)
        held = {s.department.name for s in suggestions_for_officer(user=officer).select_related("department")}
        assert officer.display_name in ("李科员", "张科员") and held == {result["departments"][username]}
    assert result["departments"]["officer_a"] == "交通运输局"
    block = logins_block(site="http://x", slug="plan2020", passwords=result["passwords"] | {"elder": "pw"},
                         keys={}, departments=result["departments"])
    assert "李科员（交通运输局）" in block and "部门A" not in block and "部门B" not in block


def test_seeding_again_resets_passwords_and_duplicates_nothing(db):
    first = seed_demo(corpus=None, limit=50)
    second = seed_demo(corpus=None, limit=50)
    assert second["created"] == 0 and Suggestion.objects.count() == 50
    assert first["passwords"]["owner"] != second["passwords"]["owner"]
    assert set(second["keys"]) == set(first["keys"])
    for name, key in second["keys"].items():
        assert channel_for_key(key).name == name and channel_for_key(first["keys"][name]) is None
