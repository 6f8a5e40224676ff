from django import forms
from django.contrib import admin
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy
from django_otp.plugins.otp_totp.models import TOTPDevice

from minsheng.accounts.models import Area, Organisation, Role, RoleGrant, User

# Saved without them, these grants opened nothing: an area role sees its area and below (none: 您没有救助服务平台的
# 权限), an officer the inbox of their department. 民政管理员 without an area sees the whole district by design.
AREA_ROLES = (Role.STATION_MANAGER, Role.SOCIAL_WORKER, Role.VILLAGE_CADRE, Role.WORK_TEAM)
# The level an area's 上级 must have (a district has none): a town left without one lay outside its district.
PARENT_LEVEL = {Area.Level.DISTRICT: None, Area.Level.TOWN: Area.Level.DISTRICT, Area.Level.VILLAGE: Area.Level.TOWN}


class RoleGrantForm(forms.ModelForm):
    class Meta:
        model = RoleGrant
        fields = "__all__"

    def clean(self):
        data = super().clean()
        if self.instance.pk and not self.has_changed():
            # A grant saved before these checks, left as it is: refused, it blocked every save of its user's page
            # (even unticking 有效 for someone who had left). Edited, it is checked as a new one is.
            return data
        role, organisation, area = data.get("role"), data.get("organisation"), data.get("area")
        if role in AREA_ROLES and area is None and (organisation is None or organisation.area_id is None):
            raise ValidationError(gettext_lazy("“%(role)s”须选择区域，或选择一个已设所在区域的单位：只能看到这个区域及其下级的救助对象"),
                                  params={"role": Role(role).label})
        if role == Role.DEPARTMENT_OFFICER and organisation is None:
            raise ValidationError(gettext_lazy("“部门工作人员”须选择单位：收件箱里是这个单位的建议"))
        return data


class AreaForm(forms.ModelForm):
    class Meta:
        model = Area
        fields = "__all__"

    def clean(self):
        data = super().clean()
        level, parent = data.get("level"), data.get("parent")
        if level not in PARENT_LEVEL:
            return data
        wanted = PARENT_LEVEL[level]
        if wanted is None and parent is not None:
            raise ValidationError(gettext_lazy("区县不填上级"))
        if wanted is not None and (parent is None or parent.level != wanted):
            raise ValidationError(gettext_lazy("“%(level)s”的上级须是一个“%(parent)s”"),
                                  params={"level": Area.Level(level).label, "parent": Area.Level(wanted).label})
        return data


class RoleGrantInline(admin.TabularInline):
    model = RoleGrant
    form = RoleGrantForm
    extra = 0
    autocomplete_fields = ["organisation", "area"]


# Django stores a permission's name in English when it migrates ("Can add suggestion"): a user's page listed a
# hundred of them. Each is said by its model's name and its action instead (建议 · 添加).
PERMISSION_ACTIONS = {"add": gettext_lazy("添加"), "change": gettext_lazy("修改"), "delete": gettext_lazy("删除"),
                      "view": gettext_lazy("查看")}


def permission_words(permission) -> str:
    action = permission.codename.partition("_")[0]
    model = permission.content_type.model_class()
    if model is None or action not in PERMISSION_ACTIONS:
        return permission.name
    return f"{model._meta.verbose_name} · {PERMISSION_ACTIONS[action]}"


class PermissionsInWords:
    """A user's and a group's permissions listed as permission_words, not Django's English names."""

    def formfield_for_manytomany(self, db_field, request=None, **kwargs):
        field = super().formfield_for_manytomany(db_field, request, **kwargs)
        if db_field.related_model is Permission:
            field.queryset = field.queryset.select_related("content_type")
            field.label_from_instance = permission_words
        return field


@admin.register(User)
class MinshengUserAdmin(PermissionsInWords, UserAdmin):
    fieldsets = (*UserAdmin.fieldsets, (gettext_lazy("民声"), {"fields": ("display_name", "phone")}))
    # Asked for at once: left to 修改 after saving, a new officer's replies were signed 工作人员 and workers were
    # named by their login (wu_sg) on 派单 and the 看板.
    add_fieldsets = ((None, {"classes": ("wide",),
                             "fields": ("username", "display_name", "usable_password", "password1", "password2")}),)
    list_display = ("username", "display_name", "email", "is_staff", "is_active")
    inlines = [RoleGrantInline]


admin.site.unregister(Group)

# django-otp's own admin showed every administrator's second-factor secret (the key on a device's page, the
# enrolment link on …/config/) to anyone with the admin: a second factor any other administrator can copy is none.
# A lost phone is `minsheng manage reset_second_factor USERNAME`; the person enrols again at the next sign-in.
if admin.site.is_registered(TOTPDevice):
    admin.site.unregister(TOTPDevice)


@admin.register(Group)
class MinshengGroupAdmin(PermissionsInWords, GroupAdmin):
    pass


@admin.register(Area)
class AreaAdmin(admin.ModelAdmin):
    form = AreaForm
    list_display = ("code", "name", "level", "parent")
    list_filter = ("level",)
    search_fields = ("code", "name")


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "kind", "area")
    list_filter = ("kind",)
    search_fields = ("code", "name")


@admin.register(RoleGrant)
class RoleGrantAdmin(admin.ModelAdmin):
    form = RoleGrantForm
    list_display = ("user", "role", "organisation", "area", "created_at")
    list_filter = ("role",)
    autocomplete_fields = ["user", "organisation", "area"]
