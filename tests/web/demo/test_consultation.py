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


def test_the_demo_stores_the_regions_of_its_corpus(db, tmp_path):
    """`make run` writes the corpus with `synth --regions`: the seed keeps each suggestion's region (地区), so the
    platform's region filters and chart have something to show; it read only id, title, body, user and time."""
    import pandas as pd

    from minsheng.cli import main

    corpus = tmp_path / "corpus.csv"
    assert main(["synth", "--n", "200", "--seed", "7", "--regions", "--quiet", "--out", str(corpus)]) == 0
    seed_demo(corpus=corpus, limit=150)
    written = pd.read_csv(corpus, dtype=str, keep_default_na=False).set_index("id")["region"]
    stored = dict(Suggestion.objects.values_list("external_id", "region"))
    from_file = {k: v for k, v in stored.items() if k in written.index}
    assert len(from_file) >= 140 and all(written[k] == v for k, v in from_file.items())
    assert sum(1 for v in stored.values() if v) >= 0.7 * len(stored)
    assert any(v for k, v in stored.items() if k.startswith("N"))  # the one-off proposals too


def test_the_demo_campaigns_overview_shows_the_region_chart(db, client, settings, tmp_path):
    from django.core.cache import cache

    from minsheng.demo.consultation import seed_analysis

    settings.VAR_DIR, settings.ANALYSIS_WORKERS, settings.ANALYSIS_REPORTS = tmp_path, 1, False
    cache.clear()
    campaign = seed_demo(corpus=None, limit=300)["campaign"]
    seed_analysis(campaign)
    client.force_login(User.objects.get(username="owner"))
    html = client.get(f"/manage/c/{campaign.slug}/analysis/").content.decode()
    assert 'id="chart-regions"' in html and "本次分析的建议中，注明地区的" in html
    top = campaign.suggestions.exclude(region="").values_list("region", flat=True)
    assert len(set(top)) >= 5 and "digest/?region=" in html
