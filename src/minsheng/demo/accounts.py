"""Demo people, areas and organisations for `make run`: one user for every role, fresh passwords each time.

The district tree and organisations follow the Zhuhui District setting of the assistance platform so the
later assistance demo can hang recipients and providers on them.
"""

from __future__ import annotations

import secrets

from django.db import transaction

from minsheng.accounts.models import Area, Organisation, Role, User
from minsheng.accounts.services import area_create, organisation_create, role_grant, user_create

AREAS = [  # code, name, level, parent code
    ("zhuhui", "珠晖区", Area.Level.DISTRICT, None),
    ("hengzhou", "衡州街道", Area.Level.TOWN, "zhuhui"),
    ("chashanao", "茶山坳镇", Area.Level.TOWN, "zhuhui"),
    ("dongfeng", "东风社区", Area.Level.VILLAGE, "hengzhou"),
    ("xiaoshui", "潇湘村", Area.Level.VILLAGE, "chashanao"),
    ("chayuan", "茶园村", Area.Level.VILLAGE, "chashanao"),
]
ORGANISATIONS = [  # code, name, kind, area code
    ("civil-affairs", "珠晖区民政局", Organisation.Kind.CIVIL_AFFAIRS, "zhuhui"),
    ("station-chashanao", "茶山坳镇社工站", Organisation.Kind.STATION, "chashanao"),
    ("team-xiaoshui", "潇湘村驻村工作队", Organisation.Kind.WORK_TEAM, "xiaoshui"),
    ("volunteers", "珠晖区志愿者协会", Organisation.Kind.VOLUNTEER_GROUP, "zhuhui"),
    ("committee-xiaoshui", "潇湘村村委会", Organisation.Kind.VILLAGE_COMMITTEE, "xiaoshui"),
]
PEOPLE = [  # username, display name, role, organisation code (or "dept:N", the seed's Nth department), area code
    # A person, as every demo user is: named 平台管理员 (the role's own words) the workbench read 平台管理员 · 平台管理员.
    ("admin", "陈工（信息中心）", Role.ADMIN, None, None),
    ("owner", "王主任（征集负责人）", Role.CAMPAIGN_OWNER, None, None),
    # An officer's department comes from the corpus, so their names carry none ("李科员（部门A） · 交通运输局" on
    # an answer); the logins block names it (``departments_of``).
    ("officer_a", "李科员", Role.DEPARTMENT_OFFICER, "dept:0", None),
    ("officer_b", "张科员", Role.DEPARTMENT_OFFICER, "dept:1", None),
    ("partner", "新华网对接人", Role.CHANNEL_PARTNER, "partner:新华网", None),
    ("civil", "赵股长（民政）", Role.CIVIL_AFFAIRS_ADMIN, "civil-affairs", "zhuhui"),
    ("station", "周站长（社工站）", Role.STATION_MANAGER, "station-chashanao", "chashanao"),
    ("social", "吴社工", Role.SOCIAL_WORKER, "station-chashanao", "xiaoshui"),
    ("volunteer", "郑志愿者", Role.VOLUNTEER, "volunteers", "chashanao"),
    ("cadre", "孙书记（村干部）", Role.VILLAGE_CADRE, "committee-xiaoshui", "xiaoshui"),
    ("workteam", "钱队员（驻村工作队）", Role.WORK_TEAM, "team-xiaoshui", "xiaoshui"),
]


def _organisation(code: str, name: str, kind: str, area: Area | None = None) -> Organisation:
    return Organisation.objects.filter(code=code).first() or organisation_create(code=code, name=name, kind=kind,
                                                                                 area=area)


@transaction.atomic
def seed_accounts(*, departments: list[str], partners: list[str]) -> tuple[dict, list[Organisation]]:
    """Create what is missing; return {username: password} (all reset) and the department organisations."""
    areas: dict[str, Area] = {}
    for code, name, level, parent in AREAS:
        areas[code] = Area.objects.filter(code=code).first() or area_create(
            code=code, name=name, level=level, parent=areas.get(parent))
    orgs = {code: _organisation(code, name, kind, areas[area]) for code, name, kind, area in ORGANISATIONS}
    depts = [_organisation(f"dept-{i:02d}", name, Organisation.Kind.DEPARTMENT) for i, name in enumerate(departments)]
    for i, name in enumerate(partners):
        orgs[f"partner:{name}"] = _organisation(f"partner-{i:02d}", name, Organisation.Kind.PARTNER)
    for i, dept in enumerate(depts):
        orgs[f"dept:{i}"] = dept
    passwords = {}
    for username, display, role, org, area in PEOPLE:
        user = User.objects.filter(username=username).first() or user_create(username=username, display_name=display)
        passwords[username] = secrets.token_urlsafe(9)
        user.set_password(passwords[username])
        user.display_name = display  # a demo seeded before keeps no outdated name
        user.save(update_fields=["password", "display_name"])
        role_grant(user=user, role=role, organisation=orgs.get(org) if org else None,
                   area=areas.get(area) if area else None)
    return passwords, depts


def departments_of(depts: list[Organisation]) -> dict[str, str]:
    """{username: department name} of the demo's department officers, for the logins block."""
    return {username: depts[int(org[5:])].name for username, _d, _r, org, _a in PEOPLE
            if org and org.startswith("dept:") and int(org[5:]) < len(depts)}


def second_factors_enrol() -> dict[str, str]:
    """Every demo person who must give a second factor (the administrator) enrolled anew, as passwords are reset
    on each seed: {username: the TOTP secret in base32}, written beside the password in the logins block, so the
    demo runs with the factor on as a real site does (an authenticator app, or `oathtool --totp -b SECRET`)."""
    from minsheng.web.second_factor import device_enrol, needs_second_factor, secret_of

    enrolled = {}
    for user in User.objects.filter(username__in=[p[0] for p in PEOPLE]).order_by("pk"):
        if needs_second_factor(user):
            enrolled[user.username] = secret_of(device_enrol(user=user, confirmed=True))
    return enrolled
