"""The demo district for `make run`: towns, villages, stations, providers, a few hundred recipients.

Every need is walked through the real services with the clock set in the past, so the demo holds only
states the platform can reach, and every state is present: waiting for a talk, for dispatch, for an
answer, in service, waiting for the revisit, closed, reopened and closed again, overdue and escalated.

Call ``seed_assistance()`` after ``minsheng.demo.accounts.seed_accounts`` (the `seed_demo` command does).
"""

from __future__ import annotations

import contextlib
import random
import secrets
from datetime import datetime, timedelta

from django.core.exceptions import ValidationError
from django.utils import timezone

from minsheng.accounts.models import Area, Organisation, Role, User
from minsheng.accounts.services import area_create, organisation_create, role_grant, user_create
from minsheng.assistance.idcrypto import id_number_check_char
from minsheng.assistance.models import Category, Need, NeedType, Provider, Recipient
from minsheng.assistance.selectors.dispatch import candidates_for, open_loads
from minsheng.assistance.services.dispatch import assignment_accept, assignment_decline, need_dispatch
from minsheng.assistance.services.escalation import needs_escalate
from minsheng.assistance.services.feedback import feedback_record
from minsheng.assistance.services.needs import need_communicate, need_create
from minsheng.assistance.services.recipients import recipient_register
from minsheng.assistance.services.visits import visit_checkin, visit_checkout

# Added below the accounts demo tree (zhuhui → hengzhou/chashanao → dongfeng/xiaoshui/chayuan).
MORE_AREAS = [("heping", "和平乡", Area.Level.TOWN, "zhuhui"), ("shitang", "石塘村", Area.Level.VILLAGE, "chashanao"),
              ("miaopu", "苗圃社区", Area.Level.VILLAGE, "hengzhou"), ("hudong", "湖东村", Area.Level.VILLAGE, "heping"),
              ("xinzhu", "新竹村", Area.Level.VILLAGE, "heping")]
STATIONS = [("station-hengzhou", "衡州街道社工站", "hengzhou"), ("station-heping", "和平乡社工站", "heping")]
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程苏魏吕丁任沈姚卢"
GIVEN = ["秀英", "桂英", "玉兰", "淑华", "建国", "国强", "志明", "春生", "冬梅", "德福", "长根", "凤英", "海燕", "金花",
         "福生", "有才", "小军", "子涵", "梓轩", "雨桐", "一诺", "浩然", "佳怡", "伟", "芳", "敏", "静", "强", "磊"]
DESCRIPTIONS = {
    NeedType.DAILY_CARE: "独居行动不便，需要定期帮忙打扫卫生、采购生活用品",
    NeedType.COMPANIONSHIP: "子女长期在外务工，老人常说一个人在家闷得慌，希望有人常来聊聊天",
    NeedType.DEVICE_TEACHING: "想学用智能手机和在外打工的孩子视频通话，不会操作微信",
    NeedType.MEDICAL_ESCORT: "下周要去市医院复查，家里没人陪同，需要陪诊",
    NeedType.POLICY: "想了解高龄补贴和医保报销政策，不清楚怎么申请",
    NeedType.COUNSELLING: "老伴去世后情绪低落，睡眠不好，家人担心",
    NeedType.RECREATION: "希望参加村里的广场舞和棋牌活动，认识更多朋友",
    NeedType.MATERIAL: "房屋漏雨，冬季缺少棉被和取暖用品",
    NeedType.PAPERWORK: "需要帮忙办理残疾证年审和低保复核材料",
    NeedType.OTHER: "家中电线老化，希望有人帮忙联系维修",
}
GOALS = {NeedType.DEVICE_TEACHING: "能与家人视频通话", NeedType.RECREATION: "每周参加一次集体活动",
         NeedType.POLICY: "提交补贴申请"}
# Final state → share of needs. "reopened" is dissatisfied once, then served again and closed.
# Open jobs the demo leaves free under each provider's limit (max_open is 6, 8 or 10).
HEADROOM = 3
LEFT_OPEN = {"dispatched", "accepted", "in_service"}  # final states that keep a job on a provider's list
FINISHED = {"closed", "reopened"}  # final states of closed needs
STATES = [("new", 8), ("communicated", 10), ("dispatched", 8), ("declined", 3), ("accepted", 8), ("in_service", 6),
          ("served", 10), ("closed", 40), ("reopened", 7)]


def _area(code, name, level, parent_code) -> Area:
    return Area.objects.filter(code=code).first() or area_create(
        code=code, name=name, level=level, parent=Area.objects.get(code=parent_code))


def _user(username: str, display: str, role, org=None, area=None, password: str | None = None) -> User:
    user = User.objects.filter(username=username).first() or user_create(username=username, display_name=display,
                                                                         password=password)
    role_grant(user=user, role=role, organisation=org, area=area)
    return user


def _provider(user: User, kind: str, org, skills: list[str], areas: list[Area], rng: random.Random) -> Provider:
    provider, created = Provider.objects.get_or_create(user=user, defaults={
        "kind": kind, "organisation": org, "skills": skills, "max_open": rng.choice([6, 8, 10]),
        "availability_note": rng.choice(["工作日全天", "周一至周五下午", "周末", "随叫随到"])})
    if created:
        provider.areas.set(areas)
    return provider


def _id_number(rng: random.Random, born: datetime, male: bool) -> str:
    seq = rng.randrange(10, 99) * 10 + rng.choice([1, 3, 5, 7, 9] if male else [0, 2, 4, 6, 8])
    first17 = f"430405{born:%Y%m%d}{seq:03d}"
    return first17 + id_number_check_char(first17)


def _people(rng: random.Random) -> tuple[dict, dict, dict]:
    """Areas, stations, cadres and providers; returns (villages, cadre by village, dispatcher by village)."""
    for row in MORE_AREAS:
        _area(*row)
    areas = {a.code: a for a in Area.objects.all()}
    civil_org = Organisation.objects.get(code="civil-affairs")
    stations = {"chashanao": Organisation.objects.get(code="station-chashanao")}
    for code, name, town in STATIONS:
        stations[town] = Organisation.objects.filter(code=code).first() or organisation_create(
            code=code, name=name, kind=Organisation.Kind.STATION, area=areas[town])
    villages = {a.code: a for a in areas.values() if a.level == Area.Level.VILLAGE}
    cadres, dispatchers = {}, {}
    civil = User.objects.get(username="civil")
    station_mgr = User.objects.get(username="station")
    for code, village in villages.items():
        cadres[code] = User.objects.get(username="cadre") if code == "xiaoshui" else _user(
            f"cadre_{code}", f"{village.name}村干部", Role.VILLAGE_CADRE, area=village)
        dispatchers[code] = station_mgr if village.parent.code == "chashanao" else civil
    everything = list(NeedType)
    _provider(User.objects.get(username="social"), Provider.Kind.SOCIAL_WORKER, stations["chashanao"],
              [NeedType.DEVICE_TEACHING, NeedType.COMPANIONSHIP, NeedType.COUNSELLING],
              [areas["xiaoshui"], areas["chayuan"]], rng)
    _provider(User.objects.get(username="volunteer"), Provider.Kind.VOLUNTEER, None,
              [NeedType.DAILY_CARE, NeedType.RECREATION, NeedType.DEVICE_TEACHING], [areas["chashanao"]], rng)
    _provider(User.objects.get(username="workteam"), Provider.Kind.WORK_TEAM, None,
              [NeedType.POLICY, NeedType.MATERIAL, NeedType.PAPERWORK], [areas["xiaoshui"]], rng)
    for i, (town, village_codes) in enumerate([("chashanao", ["shitang", "chayuan"]), ("hengzhou", ["dongfeng", "miaopu"]),
                                               ("heping", ["hudong", "xinzhu"]), ("hengzhou", ["dongfeng"]),
                                               ("heping", ["xinzhu", "hudong"]), ("chashanao", ["xiaoshui", "shitang"])]):
        user = _user(f"sw{i + 1:02d}", f"{SURNAMES[i * 3]}{rng.choice(['社工', '老师'])}", Role.SOCIAL_WORKER,
                     stations[town], areas[village_codes[0]])
        _provider(user, Provider.Kind.SOCIAL_WORKER, stations[town], rng.sample(everything, 3),
                  [areas[c] for c in village_codes], rng)
    for i, town in enumerate(["hengzhou", "heping", "zhuhui"]):
        user = _user(f"vol{i + 1:02d}", f"{SURNAMES[20 + i]}志愿者", Role.VOLUNTEER, civil_org)
        _provider(user, Provider.Kind.VOLUNTEER, None, rng.sample(everything, 3), [areas[town]], rng)
    return villages, cadres, dispatchers


def _walk(need: Need, state: str, *, cadre: User, dispatcher: User, t: datetime, now: datetime,
          rng: random.Random) -> None:
    """Take one need to ``state`` through the services, hours or days apart from ``t``, never past ``now``."""

    def step(hours: float) -> datetime:
        return min(t + timedelta(hours=hours), now)

    def by_day(at: datetime) -> datetime:
        """``at`` moved to the working day's next morning when it falls at night: home visits and revisits came
        at any hour (签到 02:13 at an elder's home, a visit from 22:27 to 01:20 the next day read 签退 01:20)."""
        local = timezone.localtime(at)
        if 8 <= local.hour < 17:
            return at
        morning = local.replace(hour=8, minute=rng.randrange(60)) + timedelta(days=local.hour >= 17)
        return morning if morning <= now else at

    if state == "new":
        return
    need_communicate(actor=cadre, need=need, mode=rng.choice(["visit", "phone"]), now=step(rng.uniform(1, 30)),
                     agreed="已与本人沟通，了解具体情况，约定近期上门服务")
    if state == "communicated":
        return
    # Work left open leaves each provider room for more: filled to the limit, the needs still waiting showed the
    # station (the demo's 待派单 → 派单) a list of people none of whom could take them.
    ranked = candidates_for(need)
    loads = open_loads([c.provider.pk for c in ranked]) if state in LEFT_OPEN else {}
    candidates = [c for c in ranked if c.eligible and (
        state not in LEFT_OPEN or loads.get(c.provider.pk, 0) < c.provider.max_open - HEADROOM)]
    if not candidates:
        return
    provider = candidates[0].provider if rng.random() < 0.8 else rng.choice(candidates).provider
    offer = need_dispatch(actor=dispatcher, need=need, provider=provider, now=step(rng.uniform(31, 40)))
    if state == "dispatched":
        return
    if state == "declined":
        assignment_decline(actor=provider.user, assignment=offer, reason="本周已排满，请改派他人",
                           now=step(rng.uniform(41, 50)))
        return
    assignment_accept(actor=provider.user, assignment=offer, now=step(rng.uniform(41, 50)))
    if state == "accepted":
        return
    rounds = 2 if state == "reopened" else 1
    clock = 60.0
    for round_ in range(rounds):
        if round_:
            offer = need_dispatch(actor=dispatcher, need=need, provider=provider, now=step(clock))
            assignment_accept(actor=provider.user, assignment=offer, now=step(clock + 2))
            clock += 10
        visits = rng.choice([1, 1, 2])
        for visit_no in range(visits):
            arrived = by_day(step(clock))
            visit = visit_checkin(actor=provider.user, need=need, place=f"{need.recipient.name}家中", now=arrived)
            if state == "in_service":
                return
            visit_checkout(actor=provider.user, visit=visit, place=f"{need.recipient.name}家中",
                           work_done=f"上门开展{need.get_need_type_display()}服务（第{visit_no + 1}次）",
                           outcome="对象情绪良好，表示感谢", finish=visit_no == visits - 1,
                           now=min(arrived + timedelta(hours=rng.uniform(1, 3)), now))
            clock += 24
        if state == "served":
            return
        unhappy = state == "reopened" and round_ == 0
        feedback_record(actor=cadre, need=need, source="revisit", now=by_day(step(clock + rng.uniform(24, 96))),
                        satisfaction=rng.choice([1, 2]) if unhappy else rng.choice([3, 4, 4, 5, 5, 5]),
                        comment="还是没学会，希望再来一次" if unhappy else "服务很好，谢谢社工",
                        goal_achieved=(False if unhappy else rng.random() < 0.85) if need.goal else None)
        clock += 120


def seed_assistance(*, recipients: int = 300, seed: int = 7) -> dict:
    """Create the demo once (idempotent); return {"passwords": {...}, "recipients": n, "needs": n}."""
    rng = random.Random(seed)
    if not User.objects.filter(username="civil").exists():
        from minsheng.demo.accounts import seed_accounts

        passwords, _ = seed_accounts(departments=[], partners=[])
    else:
        passwords = {}
    villages, cadres, dispatchers = _people(rng)
    elder = User.objects.filter(username="elder").first()
    passwords["elder"] = secrets.token_urlsafe(9)
    if elder is None:
        elder = user_create(username="elder", display_name="李秀英（救助对象）", password=passwords["elder"])
    else:
        elder.set_password(passwords["elder"])
        elder.save(update_fields=["password"])
    if Recipient.objects.exists():
        return {"passwords": passwords, "recipients": Recipient.objects.count(), "needs": Need.objects.count()}
    now = timezone.now()
    codes = sorted(villages)
    states = [s for s, weight in STATES for _ in range(weight)]
    for i in range(recipients):
        code = "xiaoshui" if i == 0 else rng.choice(codes)
        category = rng.choice([Category.LEFT_BEHIND_ELDERLY] * 4 + list(Category))
        young = category == Category.LEFT_BEHIND_CHILD
        born = datetime(rng.randint(2010, 2019) if young else rng.randint(1930, 1960), rng.randint(1, 12),
                        rng.randint(1, 28))
        male = rng.random() < 0.45
        cadre = cadres[code]
        registered = now - timedelta(days=rng.uniform(60, 200))
        recipient = recipient_register(
            actor=cadre, name="李秀英" if i == 0 else rng.choice(SURNAMES) + rng.choice(GIVEN),
            id_number=_id_number(rng, born, False if i == 0 else male), area=villages[code], category=category,
            phone=f"13{rng.randint(100000000, 999999999)}", address=f"{villages[code].name}{rng.randint(1, 12)}组",
            household_size=rng.randint(1, 5), household_note=rng.choice(["独居", "与老伴同住", "子女在外务工", ""]),
            guardian_name=rng.choice(SURNAMES) + rng.choice(GIVEN), guardian_relation=rng.choice(["儿子", "女儿", "侄子"]),
            consent=True, consent_note="本人口头同意，村干部在场", user=elder if i == 0 else None, now=registered)
        for n in range(1 if i == 0 else rng.choice([0, 1, 1, 1, 2, 2, 3])):
            need_type, state = rng.choice(list(NeedType)), rng.choice(states)
            if i == 0 and n == 0:  # the demo recipient who signs in has a service to rate
                need_type, state = NeedType.DEVICE_TEACHING, "served"
            # Finished work spreads over two months; work not yet closed (awaiting the revisit too) is days old, a
            # quarter of it a week or two, late and escalated: a district that keeps up leaves no offer unanswered
            # for weeks (the demo's volunteer read 待接单 超时 51 天).
            if state in FINISHED:
                start = now - timedelta(days=rng.uniform(5, 55))
            else:
                start = now - timedelta(days=rng.uniform(0.2, 6) if rng.random() < 0.75 else rng.uniform(6, 12))
            need = need_create(actor=cadre, recipient=recipient, need_type=need_type, channel=Need.Channel.CADRE,
                               urgency=rng.choice(["urgent", "high", "normal", "normal", "normal", "low"]),
                               description=DESCRIPTIONS[need_type], goal=GOALS.get(need_type, ""), now=start)
            # A step can be refused (e.g. the provider filled up meanwhile): the need stays where it got to.
            with contextlib.suppress(ValidationError):
                _walk(need, state, cadre=cadre, dispatcher=dispatchers[code], t=start, now=now,
                      rng=rng)
    needs_escalate(now=now)
    return {"passwords": passwords, "recipients": Recipient.objects.count(), "needs": Need.objects.count()}
