"""People, roles, areas and organisations."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy


class User(AbstractUser):
    """A person who signs in. Citizens may also submit anonymously and never have one."""

    display_name = models.CharField(gettext_lazy("显示名"), max_length=100, blank=True)
    phone = models.CharField(gettext_lazy("电话"), max_length=30, blank=True)

    class Meta:
        verbose_name = gettext_lazy("用户")
        verbose_name_plural = gettext_lazy("用户")

    def __str__(self) -> str:
        return self.display_name or self.username

    def get_short_name(self) -> str:
        """The admin site greets by this (欢迎，…): the name people know, not the login name."""
        return self.display_name or self.first_name


class Area(models.Model):
    """District → town/street → village/community; the unit of area-scoped access."""

    class Level(models.TextChoices):
        DISTRICT = "district", gettext_lazy("区县")
        TOWN = "town", gettext_lazy("乡镇/街道")
        VILLAGE = "village", gettext_lazy("村/社区")

    code = models.SlugField(gettext_lazy("编码"), max_length=40, unique=True)
    name = models.CharField(gettext_lazy("名称"), max_length=100)
    level = models.CharField(gettext_lazy("层级"), max_length=10, choices=Level.choices)
    parent = models.ForeignKey("self", verbose_name=gettext_lazy("上级"), null=True, blank=True, on_delete=models.PROTECT,
                               related_name="children")

    class Meta:
        verbose_name = gettext_lazy("区域")
        verbose_name_plural = gettext_lazy("区域")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class Organisation(models.Model):
    """A department that answers suggestions, a partner outlet, a civil-affairs bureau, a station, a team…"""

    class Kind(models.TextChoices):
        DEPARTMENT = "department", gettext_lazy("职能部门")
        PARTNER = "partner", gettext_lazy("合作渠道")
        CIVIL_AFFAIRS = "civil_affairs", gettext_lazy("民政部门")
        STATION = "station", gettext_lazy("社工站")
        WORK_TEAM = "work_team", gettext_lazy("驻村工作队")
        VOLUNTEER_GROUP = "volunteer_group", gettext_lazy("志愿者队伍")
        VILLAGE_COMMITTEE = "village_committee", gettext_lazy("村(居)委会")
        OTHER = "other", gettext_lazy("其他")

    code = models.SlugField(gettext_lazy("编码"), max_length=40, unique=True)
    name = models.CharField(gettext_lazy("名称"), max_length=100)
    kind = models.CharField(gettext_lazy("类型"), max_length=20, choices=Kind.choices)
    area = models.ForeignKey(Area, verbose_name=gettext_lazy("所在区域"), null=True, blank=True, on_delete=models.PROTECT,
                             related_name="organisations")
    parent = models.ForeignKey("self", verbose_name=gettext_lazy("上级单位"), null=True, blank=True, on_delete=models.PROTECT,
                               related_name="children")

    class Meta:
        verbose_name = gettext_lazy("单位")
        verbose_name_plural = gettext_lazy("单位")
        ordering = ["kind", "code"]

    def __str__(self) -> str:
        return self.name


class Role(models.TextChoices):
    ADMIN = "admin", gettext_lazy("平台管理员")
    CAMPAIGN_OWNER = "campaign_owner", gettext_lazy("征集负责人/分析员")
    DEPARTMENT_OFFICER = "department_officer", gettext_lazy("部门工作人员")
    CHANNEL_PARTNER = "channel_partner", gettext_lazy("渠道合作方")
    CIVIL_AFFAIRS_ADMIN = "civil_affairs_admin", gettext_lazy("民政管理员")
    STATION_MANAGER = "station_manager", gettext_lazy("社工站站长")
    SOCIAL_WORKER = "social_worker", gettext_lazy("社工")
    VOLUNTEER = "volunteer", gettext_lazy("志愿者")
    VILLAGE_CADRE = "village_cadre", gettext_lazy("村干部")
    WORK_TEAM = "work_team", gettext_lazy("驻村工作队员")


class RoleGrant(models.Model):
    """One role of one user, scoped to an organisation and/or an area (both optional for platform-wide roles)."""

    user = models.ForeignKey(User, verbose_name=gettext_lazy("用户"),
                             on_delete=models.CASCADE, related_name="grants")
    role = models.CharField(gettext_lazy("角色"), max_length=30, choices=Role.choices)
    organisation = models.ForeignKey(Organisation, verbose_name=gettext_lazy("单位"), null=True, blank=True,
                                     on_delete=models.CASCADE, related_name="grants")
    area = models.ForeignKey(Area, verbose_name=gettext_lazy("区域"), null=True, blank=True, on_delete=models.CASCADE,
                             related_name="grants")
    created_at = models.DateTimeField(gettext_lazy("授予时间"), auto_now_add=True)

    class Meta:
        verbose_name = gettext_lazy("角色授权")
        verbose_name_plural = gettext_lazy("角色授权")
        constraints = [
            models.UniqueConstraint(fields=["user", "role", "organisation", "area"], name="unique_role_grant"),
        ]

    def __str__(self) -> str:
        scope = " / ".join(str(s) for s in (self.organisation, self.area) if s)
        return f"{self.user} · {self.get_role_display()}" + (f" · {scope}" if scope else "")
