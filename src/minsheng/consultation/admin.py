from django.contrib import admin
from django.utils.translation import gettext_lazy

from minsheng.consultation.handling.models import HandlingLimit
from minsheng.consultation.intake.forms import CategoriesField
from minsheng.consultation.intake.models import Campaign, Channel, ImportJob, Suggestion
from minsheng.consultation.intake.receipts import RECEIPT_LENGTH, display_receipt, normalise_receipt
from minsheng.consultation.workbench.models import ReplyTemplate


class MadeByServices:
    """Rows only the platform's own pages make (a channel with its key, a suggestion with its receipt, an import
    with its task): an "add" form here saved one without them, a channel no partner could call with."""

    def has_add_permission(self, request):
        return False


class HandlingLimitInline(admin.TabularInline):
    """A department's own 办理时限 in the campaign (the campaign page edits the same)."""

    model = HandlingLimit
    extra = 0


def counted(model, name: str):
    """A list column of a count with thousands separators (120,000, as the pages write it), sorted by number."""
    def column(obj) -> str:
        return f"{getattr(obj, name):,}"
    column.__name__ = name
    return admin.display(description=model._meta.get_field(name).verbose_name, ordering=name)(column)


@admin.register(Campaign)
class CampaignAdmin(admin.ModelAdmin):
    inlines = [HandlingLimitInline]
    # 公开征集 is a filter, not a column: with the admin's menu and filters beside it, a 1280-px screen had no
    # room for eight columns (负责人 went out of sight, 标题 two characters a line).
    list_display = ("slug", "title", "status", "opens_at", "closes_at", "owner")
    list_filter = ("status", "is_public")
    search_fields = ("slug", "title")
    filter_horizontal = ("departments",)

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "taxonomy":  # one category a line, not the list as raw JSON ("[]")
            return CategoriesField(label=db_field.verbose_name)
        return super().formfield_for_dbfield(db_field, request, **kwargs)


@admin.register(Channel)
class ChannelAdmin(MadeByServices, admin.ModelAdmin):
    list_display = ("campaign", "code", "name", "partner", counted(Channel, "rate_per_minute"), "revoked_at")
    # The key hash is never edited by hand; new keys come from the campaign page.
    readonly_fields = ("key_prefix", "key_hash")
    list_filter = ("campaign",)


@admin.register(Suggestion)
class SuggestionAdmin(MadeByServices, admin.ModelAdmin):
    list_display = ("shown_receipt", "campaign", "source", "channel", "status", "department", "received_at")
    list_filter = ("status", "source", "campaign")
    search_fields = ("receipt", "external_id")

    @admin.display(description=gettext_lazy("回执码"), ordering="receipt")
    def shown_receipt(self, suggestion: Suggestion) -> str:
        return display_receipt(suggestion.receipt)

    def get_search_results(self, request, queryset, search_term):
        """A receipt as people read it out (7w5mv-v8b7f) finds its suggestion, as the inbox and search do."""
        found, duplicates = super().get_search_results(request, queryset, search_term)
        code = normalise_receipt(search_term)
        if len(code) == RECEIPT_LENGTH and code != search_term:
            found |= queryset.filter(receipt=code)
        return found, duplicates
    readonly_fields = ("receipt", "contact_encrypted", "external_id", "import_job", "source_row")
    list_select_related = ("campaign", "channel", "department")
    show_full_result_count = False


@admin.register(ImportJob)
class ImportJobAdmin(MadeByServices, admin.ModelAdmin):
    list_display = ("original_name", "campaign", "status", *(counted(ImportJob, name) for name in
                                                              ("processed_rows", "created_count", "error_count")))
    list_filter = ("status",)


@admin.register(ReplyTemplate)
class ReplyTemplateAdmin(admin.ModelAdmin):
    list_display = ("title", "department")
    list_filter = ("department",)
    search_fields = ("title", "text")
