from django.contrib import admin
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.models import Group, Permission
from django.utils.translation import gettext_lazy

from minsheng.accounts.models import Area, Organisation, RoleGrant, User


class RoleGrantInline(admin.TabularInline):
    model = RoleGrant
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
    list_display = ("username", "display_name", "email", "is_staff", "is_active")
    inlines = [RoleGrantInline]


admin.site.unregister(Group)


@admin.register(Group)
class MinshengGroupAdmin(PermissionsInWords, GroupAdmin):
    pass


@admin.register(Area)
class AreaAdmin(admin.ModelAdmin):
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
    list_display = ("user", "role", "organisation", "area", "created_at")
    list_filter = ("role",)
    autocomplete_fields = ["user", "organisation", "area"]
