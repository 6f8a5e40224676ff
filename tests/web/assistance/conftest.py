"""The cast of the assistance tests, made through the real services.

Areas: 珠晖区 → 茶山坳镇 → 潇湘村 (village A) and 茶园村 (village B); 珠晖区 → 衡州街道 → 东风社区.

- 赵股长 (civil): civil-affairs admin of the district, reads the audit trail;
- 周站长 (station): manager of the 茶山坳镇 social-work station, dispatches there;
- 吴社工 (social_a): social worker of village A and a provider there (teaches devices, keeps company);
- 孙书记 (cadre_a): cadre of village A, records needs on behalf of the elderly;
- 钱书记 (cadre_b): cadre of village B: must never see village A;
- 郑志愿者 (volunteer): a provider for the whole town, sees only what was dispatched to them;
- 冯社工 (far_worker): a provider in 东风社区, outside 茶山坳镇;
- 陈某 (outsider): signed in, no role.
Recipients: 李奶奶 (grandma_a, village A, has her own login) and 王爷爷 (grandpa_b, village B).
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from ..conftest import PASSWORD

TEST_KEY = "test-assistance-key-0123456789-abcdefghijklmnopqrstuvwxyz"


def make_id(first17: str) -> str:
    """A valid resident ID number from 17 digits (the check character computed, never hard-coded)."""
    from minsheng.assistance.idcrypto import id_number_check_char

    return first17 + id_number_check_char(first17)


def forge(number: str) -> str:
    """The same number with a wrong check character."""
    wrong = next(c for c in "0123456789X" if c != number[-1])
    return number[:-1] + wrong


@dataclass
class Aid:
    district: object
    town: object
    village_a: object
    village_b: object
    far_village: object
    civil: object
    station: object
    social_a: object
    cadre_a: object
    cadre_b: object
    volunteer: object
    far_worker: object
    outsider: object
    grandma_user: object
    p_social: object
    p_volunteer: object
    p_far: object
    grandma_a: object
    grandpa_b: object


@pytest.fixture(autouse=True)
def _assistance_settings(settings, tmp_path):
    settings.ASSISTANCE_ID_KEY = TEST_KEY
    settings.MEDIA_ROOT = str(tmp_path / "media")
    # Flows check in and out within a second; test_field_checks holds the minimum visit to 5 minutes.
    settings.ASSISTANCE_MIN_VISIT_MINUTES = 0


@pytest.fixture
def aid(db) -> Aid:
    from minsheng.accounts.models import Area, Organisation, Role
    from minsheng.accounts.services import area_create, organisation_create, role_grant, user_create
    from minsheng.assistance.models import Category, NeedType, Provider
    from minsheng.assistance.services.recipients import recipient_register

    district = area_create(code="zhuhui", name="珠晖区", level=Area.Level.DISTRICT)
    town = area_create(code="chashanao", name="茶山坳镇", level=Area.Level.TOWN, parent=district)
    village_a = area_create(code="xiaoxiang", name="潇湘村", level=Area.Level.VILLAGE, parent=town)
    village_b = area_create(code="chayuan", name="茶园村", level=Area.Level.VILLAGE, parent=town)
    street = area_create(code="hengzhou", name="衡州街道", level=Area.Level.TOWN, parent=district)
    far_village = area_create(code="dongfeng", name="东风社区", level=Area.Level.VILLAGE, parent=street)
    bureau = organisation_create(code="civil", name="珠晖区民政局", kind=Organisation.Kind.CIVIL_AFFAIRS, area=district)
    station_org = organisation_create(code="station", name="茶山坳镇社工站", kind=Organisation.Kind.STATION, area=town)
    volunteers = organisation_create(code="vol", name="志愿者协会", kind=Organisation.Kind.VOLUNTEER_GROUP,
                                     area=district)

    def person(username, name, role=None, org=None, area=None):
        user = user_create(username=username, password=PASSWORD, display_name=name)
        if role:
            role_grant(user=user, role=role, organisation=org, area=area)
        return user

    civil = person("civil", "赵股长", Role.CIVIL_AFFAIRS_ADMIN, bureau, district)
    station = person("station", "周站长", Role.STATION_MANAGER, station_org, town)
    social_a = person("social_a", "吴社工", Role.SOCIAL_WORKER, station_org, village_a)
    cadre_a = person("cadre_a", "孙书记", Role.VILLAGE_CADRE, None, village_a)
    cadre_b = person("cadre_b", "钱书记", Role.VILLAGE_CADRE, None, village_b)
    volunteer = person("volunteer", "郑志愿者", Role.VOLUNTEER, volunteers)
    far_worker = person("far_worker", "冯社工", Role.SOCIAL_WORKER, None, far_village)
    outsider = person("outsider", "陈某")
    grandma_user = person("grandma", "李奶奶")

    def provider(user, kind, skills, areas):
        p = Provider.objects.create(user=user, kind=kind, skills=skills, organisation=station_org)
        p.areas.set(areas)
        return p

    p_social = provider(social_a, Provider.Kind.SOCIAL_WORKER, [NeedType.DEVICE_TEACHING, NeedType.COMPANIONSHIP],
                        [village_a])
    p_volunteer = provider(volunteer, Provider.Kind.VOLUNTEER, [NeedType.DAILY_CARE, NeedType.RECREATION], [town])
    p_far = provider(far_worker, Provider.Kind.SOCIAL_WORKER, [NeedType.DEVICE_TEACHING], [far_village])
    grandma_a = recipient_register(actor=cadre_a, name="李奶奶", id_number=make_id("43040519450312002"),
                                   area=village_a, category=Category.LEFT_BEHIND_ELDERLY, consent=True,
                                   phone="13800001111", user=grandma_user)
    grandpa_b = recipient_register(actor=cadre_b, name="王爷爷", id_number=make_id("43040519400101001"),
                                   area=village_b, category=Category.TEKUN, consent=True)
    return Aid(district, town, village_a, village_b, far_village, civil, station, social_a, cadre_a, cadre_b,
               volunteer, far_worker, outsider, grandma_user, p_social, p_volunteer, p_far, grandma_a, grandpa_b)


def walk(need, to: str, *, aid: Aid, provider=None, now=None, skip_talk: bool = False):
    """Take ``need`` through the real services up to status ``to`` (talked, dispatched, accepted, in_service, served)."""
    from minsheng.assistance.models import Need
    from minsheng.assistance.services.dispatch import assignment_accept, need_dispatch
    from minsheng.assistance.services.needs import need_communicate
    from minsheng.assistance.services.visits import visit_checkin, visit_checkout

    order = ["communicated", "dispatched", "accepted", "in_service", "served"]
    provider = provider or aid.p_social
    steps = order[: order.index(to) + 1]  # a reopened need is already talked to: skip_talk
    kw = {"now": now} if now else {}
    if "communicated" in steps and not skip_talk:
        need_communicate(actor=aid.cadre_a if need.area_id == aid.village_a.pk else aid.cadre_b, need=need,
                         mode="visit", agreed="上门了解情况，约定周三下午服务", **kw)
    if "dispatched" in steps:
        assignment = need_dispatch(actor=aid.station, need=need, provider=provider, **kw)
    if "accepted" in steps:
        assignment_accept(actor=provider.user, assignment=assignment, **kw)
    if "in_service" in steps:
        visit = visit_checkin(actor=provider.user, need=need, place="李奶奶家", **kw)
    if "served" in steps:
        visit_checkout(actor=provider.user, visit=visit, place="李奶奶家", work_done="教会用微信视频通话",
                       outcome="能独立拨通视频", finish=True, **kw)
    need.refresh_from_db()
    assert need.status == to
    return Need.objects.get(pk=need.pk)


@pytest.fixture
def need_a(aid):
    """A device-teaching need of 李奶奶, recorded by the village-A cadre."""
    from minsheng.assistance.services.needs import need_create

    return need_create(actor=aid.cadre_a, recipient=aid.grandma_a, need_type="device_teaching", channel="cadre",
                       description="想学用智能手机和在外打工的儿子视频", goal="能与家人视频通话")
