"""Back-office views. ID numbers stay encrypted here too: the admin shows only the masked form."""

from django import forms
from django.apps import apps
from django.contrib import admin
from django.utils.translation import gettext_lazy

from minsheng.assistance.models import AuditEntry, Need, NeedType, Provider, Recipient
from minsheng.assistance.services.audit import ACTIONS, purpose_words


class ProviderForm(forms.ModelForm):
    # The model keeps skills as a list of need-type codes (what dispatch compares); as a JSON box the admin had to
    # know the codes: typed as the need types read (智能设备教学), they were refused or saved and never matched.
    skills = forms.MultipleChoiceField(label=gettext_lazy("擅长服务"), choices=NeedType.choices, required=False,
                                       widget=forms.CheckboxSelectMultiple,
                                       help_text=gettext_lazy("派单时，擅长这类需求的服务人员排在前面"))

    class Meta:
        model = Provider
        fields = "__all__"


@admin.register(Provider)
class ProviderAdmin(admin.ModelAdmin):
    form = ProviderForm
    list_display = ("user", "kind", "organisation", "available", "max_open")
    list_filter = ("kind", "available")
    filter_horizontal = ("areas",)


@admin.register(Recipient)
class RecipientAdmin(admin.ModelAdmin):
    list_display = ("name", "id_masked", "area", "category", "last_contact_at")
    list_filter = ("category",)
    search_fields = ("name",)
    exclude = ("id_encrypted", "id_hash")
    readonly_fields = ("id_masked",)

    def has_change_permission(self, request, obj=None):
        # Changes go through the services so they are validated and audited.
        return False

    def has_add_permission(self, request):
        # So does registering: an added recipient had no encrypted ID number and no entry in the audit trail.
        return False


@admin.register(Need)
class NeedAdmin(admin.ModelAdmin):
    list_display = ("recipient", "need_type", "urgency", "status", "area", "due_at", "escalation_level")
    list_filter = ("status", "need_type", "urgency")

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):  # a need is taken in on the assistance pages, audited, with its deadline
        return False


def _entity_words(entity: str) -> str:
    """An entry's ``entity`` (a model's name: need, visit) as the model calls itself (需求, 上门服务)."""
    try:
        return str(apps.get_model("assistance", entity)._meta.verbose_name)
    except LookupError:
        return entity


class ActionFilter(admin.SimpleListFilter):
    """The entries' actions by their words (登记需求), not their codes (need.create)."""

    title, parameter_name = gettext_lazy("操作"), "action"

    def lookups(self, request, model_admin):
        return [(code, words) for code, words in ACTIONS.items()]

    def queryset(self, request, queryset):
        return queryset.filter(action=self.value()) if self.value() else queryset


class EntityFilter(admin.SimpleListFilter):
    title, parameter_name = gettext_lazy("对象类型"), "entity"

    def lookups(self, request, model_admin):
        kinds = AuditEntry.objects.order_by().values_list("entity", flat=True).distinct()
        return sorted((kind, _entity_words(kind)) for kind in kinds)

    def queryset(self, request, queryset):
        return queryset.filter(entity=self.value()) if self.value() else queryset


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    list_display = ("at", "actor", "action_label", "entity_label", "entity_id", "purpose_text")
    list_filter = (ActionFilter, EntityFilter)

    @admin.display(description=gettext_lazy("操作"), ordering="action")
    def action_label(self, entry: AuditEntry) -> str:
        return str(ACTIONS.get(entry.action, entry.action))

    @admin.display(description=gettext_lazy("对象类型"), ordering="entity")
    def entity_label(self, entry: AuditEntry) -> str:
        return _entity_words(entry.entity)

    @admin.display(description=gettext_lazy("查阅事由"))
    def purpose_text(self, entry: AuditEntry) -> str:
        return purpose_words(entry.purpose)

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False
