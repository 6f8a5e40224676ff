"""People, roles, areas and organisations."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models


class User(AbstractUser):
    """A person who signs in. Citizens may also submit anonymously and never have one."""

    display_name = models.CharField("显示名", max_length=100, blank=True)
    phone = models.CharField("电话", max_length=30, blank=True)

    class Meta:
        verbose_name = "用户"
        verbose_name_plural = "用户"

    def __str__(self) -> str:
        return self.display_name or self.username


class Area(models.Model):
    """District → town/street → village/community; the unit of area-scoped access."""

    class Level(models.TextChoices):
        DISTRICT = "district", "区县"
        TOWN = "town", "乡镇/街道"
        VILLAGE = "village", "村/社区"

    code = models.SlugField("编码", max_length=40, unique=True)
    name = models.CharField("名称", max_length=100)
    level = models.CharField("层级", max_length=10, choices=Level.choices)
    parent = models.ForeignKey("self", verbose_name="上级", null=True, blank=True, on_delete=models.PROTECT,
                               related_name="children")

    class Meta:
        verbose_name = "区域"
        verbose_name_plural = "区域"
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class Organisation(models.Model):
    """A department that answers suggestions, a partner outlet, a civil-affairs bureau, a station, a team…"""

    class Kind(models.TextChoices):
        DEPARTMENT = "department", "职能部门"
        PARTNER = "partner", "合作渠道"
        CIVIL_AFFAIRS = "civil_affairs", "民政部门"
        STATION = "station", "社工站"
        WORK_TEAM = "work_team", "驻村工作队"
        VOLUNTEER_GROUP = "volunteer_group", "志愿者队伍"
        VILLAGE_COMMITTEE = "village_committee", "村(居)委会"
        OTHER = "other", "其他"

    code = models.SlugField("编码", max_length=40, unique=True)
    name = models.CharField("名称", max_length=100)
    kind = models.CharField("类型", max_length=20, choices=Kind.choices)
    area = models.ForeignKey(Area, verbose_name="所在区域", null=True, blank=True, on_delete=models.PROTECT,
                             related_name="organisations")
    parent = models.ForeignKey("self", verbose_name="上级单位", null=True, blank=True, on_delete=models.PROTECT,
                               related_name="children")

    class Meta:
        verbose_name = "单位"
        verbose_name_plural = "单位"
        ordering = ["kind", "code"]

    def __str__(self) -> str:
        return self.name


class Role(models.TextChoices):
    ADMIN = "admin", "平台管理员"
    CAMPAIGN_OWNER = "campaign_owner", "征集负责人/分析员"
    DEPARTMENT_OFFICER = "department_officer", "部门工作人员"
    CHANNEL_PARTNER = "channel_partner", "渠道合作方"
    CIVIL_AFFAIRS_ADMIN = "civil_affairs_admin", "民政管理员"
    STATION_MANAGER = "station_manager", "社工站站长"
    SOCIAL_WORKER = "social_worker", "社工"
    VOLUNTEER = "volunteer", "志愿者"
    VILLAGE_CADRE = "village_cadre", "村干部"
    WORK_TEAM = "work_team", "驻村工作队员"


class RoleGrant(models.Model):
    """One role of one user, scoped to an organisation and/or an area (both optional for platform-wide roles)."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="grants")
    role = models.CharField("角色", max_length=30, choices=Role.choices)
    organisation = models.ForeignKey(Organisation, verbose_name="单位", null=True, blank=True,
                                     on_delete=models.CASCADE, related_name="grants")
    area = models.ForeignKey(Area, verbose_name="区域", null=True, blank=True, on_delete=models.CASCADE,
                             related_name="grants")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "角色授权"
        verbose_name_plural = "角色授权"
        constraints = [
            models.UniqueConstraint(fields=["user", "role", "organisation", "area"], name="unique_role_grant"),
        ]

    def __str__(self) -> str:
        scope = " / ".join(str(s) for s in (self.organisation, self.area) if s)
        return f"{self.user} · {self.get_role_display()}" + (f" · {scope}" if scope else "")
