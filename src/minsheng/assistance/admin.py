"""Back-office views. ID numbers stay encrypted here too: the admin shows only the masked form."""

from django.contrib import admin
from django.utils.translation import gettext_lazy

from minsheng.assistance.models import AuditEntry, Need, Provider, Recipient
from minsheng.assistance.services.audit import ACTIONS, purpose_words


@admin.register(Provider)
class ProviderAdmin(admin.ModelAdmin):
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


@admin.register(Need)
class NeedAdmin(admin.ModelAdmin):
    list_display = ("recipient", "need_type", "urgency", "status", "area", "due_at", "escalation_level")
    list_filter = ("status", "need_type", "urgency")

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    list_display = ("at", "actor", "action_label", "entity", "entity_id", "purpose_text")
    list_filter = ("action", "entity")

    @admin.display(description=gettext_lazy("操作"), ordering="action")
    def action_label(self, entry: AuditEntry) -> str:
        return str(ACTIONS.get(entry.action, entry.action))

    @admin.display(description=gettext_lazy("查阅事由"))
    def purpose_text(self, entry: AuditEntry) -> str:
        return purpose_words(entry.purpose)

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False
