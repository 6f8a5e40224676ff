"""Owner pages for file imports: upload, check the column mapping on a preview, follow the progress."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from minsheng.consultation.access import managed_campaign
from minsheng.consultation.intake.forms import ImportUploadForm
from minsheng.consultation.intake.imports import (
    ROLES,
    import_create,
    import_preview,
    import_start,
    import_unreadable,
    same_file_imported,
)
from minsheng.consultation.intake.models import ImportJob
from minsheng.engine.errors import InputError

ROLE_LABELS = {"id": gettext_lazy("编号"), "text": gettext_lazy("建议内容（可选多列，按文件中的顺序拼接）"), "time": gettext_lazy("时间"),
               "date": gettext_lazy("日期（时间列只有几点几分时）"), "user": gettext_lazy("用户"), "channel": gettext_lazy("渠道"),
               "likes": gettext_lazy("点赞数"), "region": gettext_lazy("地区")}


@login_required
def import_new(request: HttpRequest, slug: str) -> HttpResponse:
    campaign = managed_campaign(request.user, slug)
    form = ImportUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            job = import_create(campaign=campaign, user=request.user, upload=form.cleaned_data["file"])
        except InputError as exc:
            form.add_error("file", str(exc))
        else:
            return redirect("import-detail", slug=slug, pk=job.pk)
    return render(request, "consultation/manage/import_new.html", {"campaign": campaign, "form": form})


def _chosen(request: HttpRequest) -> dict | None:
    """The columns picked on the preview's form, posted to start or asked for by its every change (``chosen``),
    or None before the owner has picked any: the page then offers what was detected."""
    data = request.POST if request.method == "POST" else request.GET
    if request.method != "POST" and "chosen" not in data:
        return None
    return {role: data.getlist(role) if role == "text" else data.get(role) or None for role in ROLES}


@login_required
def import_detail(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    campaign = managed_campaign(request.user, slug)
    job = get_object_or_404(ImportJob, pk=pk, campaign=campaign)
    if job.status != ImportJob.Status.PREVIEW:
        template = "consultation/manage/import_progress.html" if request.headers.get("HX-Request") else \
            "consultation/manage/import_detail.html"
        return render(request, template, {"campaign": campaign, "job": job})
    error, chosen = None, _chosen(request)
    # With JavaScript off the columns' changes cannot ask for the preview: the form's 更新预览 button posts them.
    if request.method == "POST" and "preview" not in request.POST:
        try:
            import_start(actor=request.user, job=job, mapping=chosen)
        except InputError as exc:
            if exc.code in ("import_expired", "import_started"):  # expired or started meanwhile: the page says so
                return redirect("import-detail", slug=slug, pk=job.pk)
            error = exc.message
        else:
            messages.success(request, _("导入已开始，在后台进行。"))
            return redirect("import-detail", slug=slug, pk=job.pk)
    try:
        preview = import_preview(job=job, chosen=chosen)
    except InputError as exc:
        if chosen is None:  # the file itself, read as detected: no column the owner picks can mend it
            import_unreadable(job, str(exc))
        return render(request, "consultation/manage/import_detail.html",
                      {"campaign": campaign, "job": job, "error": str(exc)}, status=400)
    roles = [{"name": r, "label": ROLE_LABELS[r], "chosen": preview.mapping.get(r)} for r in ROLES]
    return render(request, "consultation/manage/import_detail.html",
                  {"campaign": campaign, "job": job, "preview": preview, "roles": roles, "error": error,
                   "same_file": same_file_imported(job)})
