"""The analyst's pages: start a run and watch it, the dashboard, themes, duplicate groups, hot issues, search.

Only people who manage the campaign see them (404 otherwise, like every management page).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from minsheng.consultation import tasks
from minsheng.consultation._db.paging import CappedPaginator
from minsheng.consultation.access import managed_campaign, scope_for
from minsheng.consultation.analysis import regions as by_region
from minsheng.consultation.analysis import selectors as sel
from minsheng.consultation.analysis.export import EXPORT_MAX, export_response, search_export_rows
from minsheng.consultation.analysis.models import AnalysisRun, numbered
from minsheng.consultation.analysis.retrain import router_retrain_check
from minsheng.consultation.analysis.services import RunBusy, analysis_run_start, router_context, run_dir
from minsheng.consultation.intake.models import Campaign, Suggestion
from minsheng.forms import Gone, NotYet, refuse

PAGE = 25
REPORTS = {"html": ("report.html", "text/html"), "xlsx": ("report.xlsx", "application/vnd.openxmlformats-"
                                                                       "officedocument.spreadsheetml.sheet"),
           "pdf": ("report.pdf", "application/pdf")}


def _run_or_404(campaign: Campaign) -> AnalysisRun:
    run = sel.current_run(campaign)
    if run is None:
        raise NotYet(_("还没有完成的分析"), _("「{title}」还没有完成的分析：请先在梳理分析页开始一次分析，完成后这里就有结果。"
                                       ).format(title=campaign.title), onward=_to_analysis(campaign))
    return run


def _to_analysis(campaign: Campaign) -> tuple[str, str]:
    return reverse("analysis", kwargs={"slug": campaign.slug}), _("去梳理分析页")


@login_required
def overview(request: HttpRequest, slug: str) -> HttpResponse:
    campaign = managed_campaign(request.user, slug)
    run = sel.current_run(campaign)
    active = sel.active_run(campaign)
    reports = {fmt: (run_dir(run) / name).exists() for fmt, (name, _t) in REPORTS.items()} if run else {}
    chart_data = sel.dashboard_data(campaign=campaign, run=run)
    regions = by_region.regions_chart(run) if run else None  # the charts are drawn once a run is done
    chart_data["regions"] = regions["rows"] if regions else []
    context = {"campaign": campaign, "run": run, "active": active, "runs": sel.runs_of_campaign(campaign),
               "chart_data": chart_data, "regions_chart": regions, "reports": reports,
               "router_versions": campaign.router_versions.all()[:5],
               **router_context(campaign),
               "published": getattr(campaign, "published", None)}
    return render(request, "consultation/analysis/overview.html", context)


@login_required
@require_POST
def run_start(request: HttpRequest, slug: str) -> HttpResponse:
    campaign = managed_campaign(request.user, slug)
    try:
        analysis_run_start(campaign=campaign, user=request.user, incremental=request.POST.get("mode") == "incremental")
    except RunBusy as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("分析任务已开始，进度见下方。"))
    return redirect("analysis", slug=slug)


@login_required
def run_progress(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """The progress bar fragment, polled by HTMX until the run ends (then the page reloads)."""
    campaign = managed_campaign(request.user, slug)
    run = get_object_or_404(numbered(campaign.analysis_runs), pk=pk)
    response = render(request, "consultation/analysis/_progress.html", {"campaign": campaign, "active": run})
    if run.status in (AnalysisRun.Status.DONE, AnalysisRun.Status.FAILED):
        response["HX-Refresh"] = "true"
    return response


REPORT_POLICY = ("sandbox allow-scripts allow-downloads; default-src 'none'; script-src 'unsafe-inline'; "
                 "style-src 'unsafe-inline'; img-src data: blob:; font-src data:")


@login_required
def report(request: HttpRequest, slug: str, pk: int, fmt: str) -> FileResponse:
    campaign = managed_campaign(request.user, slug)
    run = get_object_or_404(campaign.analysis_runs, pk=pk, base=None)
    if fmt not in REPORTS:
        raise Http404
    name, content_type = REPORTS[fmt]
    # Found under today's MINSHENG_VAR_DIR, not at the path stored when the run was written: a backup restored
    # on another server or folder keeps its reports.
    path = run_dir(run) / name
    if run.files_pruned_at:  # retention removed the folder (analysis/retention.py); the row stays as history
        raise Gone(_("结果文件已清理"), _("这次分析的结果文件（含报告）已按保留设置清理，不能再下载；"
                                     "当前分析的报告在梳理分析页。"), onward=_to_analysis(campaign))
    if not run.out_dir or not path.exists():
        raise NotYet(_("报告尚未生成"), _("这次分析的报告还没有生成（或生成失败），可在梳理分析页重新分析。"),
                     onward=_to_analysis(campaign))
    response = FileResponse(path.open("rb"), as_attachment=fmt != "html", filename=f"{slug}-run{run.pk}-{name}",
                            content_type=content_type)
    if fmt == "html":
        # The offline report carries its scripts inline; it runs sandboxed (an origin of its own: no cookies,
        # no requests to the platform), so the site's strict policy need not allow inline scripts.
        response["Content-Security-Policy"] = REPORT_POLICY
    return response


def _region_context(request: HttpRequest, campaign: Campaign, run: AnalysisRun) -> dict:
    """The region filter of the digest, themes and hot-issue pages, as 检索 offers it: the campaign's regions
    (none, and no filter, when no suggestion carries one), the chosen one and its counts (本地区 N 条 / 全部 M 条)."""
    region = by_region.region_of_request(request.GET)
    return {"regions": sel.search_regions(campaign=campaign, chosen=region), "region": region,
            "region_totals": by_region.region_totals(run=run, region=region) if region else None}


def _members_of_region(request: HttpRequest, run: AnalysisRun, results) -> dict:
    """The page of a theme's, hot issue's or digest suggestion's letters; with a region (a link from that page's
    list filtered by region), only the region's, and how many there are of how many (本地区 N 条 / 全部 M 条)."""
    region = by_region.region_of_request(request.GET)
    found = by_region.results_in_region(results, run=run, region=region) if region else results
    page = Paginator(found, PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    totals = {"region": page.paginator.count, "all": results.count()} if region else None
    return {"page": page, "query": query.urlencode(), "region": region, "region_totals": totals}


@login_required
def themes(request: HttpRequest, slug: str) -> HttpResponse:
    campaign = managed_campaign(request.user, slug)
    run = _run_or_404(campaign)
    context = {"campaign": campaign, "run": run, **_region_context(request, campaign, run)}
    region = context["region"]
    context["themes"] = by_region.themes_in_region(run=run, region=region) if region else sel.themes_broad(run)
    return render(request, "consultation/analysis/themes.html", context)


@login_required
def theme(request: HttpRequest, slug: str, code: str) -> HttpResponse:
    campaign = managed_campaign(request.user, slug)
    run = _run_or_404(campaign)
    found = sel.theme_detail(run=run, code=code)
    if found is None:
        raise Http404(_("没有这个主题"))
    members = _members_of_region(request, run, sel.results_of_theme(run=run, theme=found))
    children = found.children.order_by("-n_messages") if found.level == "broad" else []
    return render(request, "consultation/analysis/theme.html",
                  {"campaign": campaign, "run": run, "theme": found, "children": children, **members})


@login_required
def groups(request: HttpRequest, slug: str) -> HttpResponse:
    campaign = managed_campaign(request.user, slug)
    run = _run_or_404(campaign)
    page = Paginator(sel.duplicate_groups(run), PAGE).get_page(request.GET.get("page"))
    return render(request, "consultation/analysis/groups.html",
                  {"campaign": campaign, "run": run, "letters": sel.form_letters(run), "page": page})


@login_required
def group(request: HttpRequest, slug: str, number: int) -> HttpResponse:
    campaign = managed_campaign(request.user, slug)
    run = _run_or_404(campaign)
    page = Paginator(sel.results_of_group(run=run, group=number), PAGE).get_page(request.GET.get("page"))
    if not page.paginator.count:  # a number of no group of this run (an old run's link) showed an empty group
        raise Http404(_("本次分析中没有这个重复组"))
    letter = run.form_letters.filter(dup_group=number).first()
    return render(request, "consultation/analysis/group.html",
                  {"campaign": campaign, "run": run, "number": number, "letter": letter, "page": page})


@login_required
def hot(request: HttpRequest, slug: str) -> HttpResponse:
    campaign = managed_campaign(request.user, slug)
    run = _run_or_404(campaign)
    context = {"campaign": campaign, "run": run, **_region_context(request, campaign, run)}
    region = context["region"]
    issues = by_region.hot_issues_in_region(run=run, region=region) if region else sel.hot_issues(run)
    context["page"] = Paginator(issues, PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context["query"] = query.urlencode()
    return render(request, "consultation/analysis/hot.html", context)


@login_required
def hot_issue(request: HttpRequest, slug: str, code: str) -> HttpResponse:
    campaign = managed_campaign(request.user, slug)
    run = _run_or_404(campaign)
    issue = get_object_or_404(run.hot_issues, code=code)
    members = _members_of_region(request, run, sel.results_of_hot_issue(run=run, issue=issue))
    return render(request, "consultation/analysis/hot_issue.html",
                  {"campaign": campaign, "run": run, "issue": issue, **members})


@login_required
def digest(request: HttpRequest, slug: str) -> HttpResponse:
    """The suggestion digest (建议摘编): search, filter by department, sort."""
    campaign = managed_campaign(request.user, slug)
    run = _run_or_404(campaign)
    q, department = request.GET.get("q", "").strip()[:100], request.GET.get("department", "").strip()[:100]
    regional = _region_context(request, campaign, run)
    region = regional["region"]
    # A district's planner reads his district's asks first: with a region, its letters order the list.
    sort, mixed = request.GET.get("sort") or ("region" if region else "people"), request.GET.get("mixed", "")
    page = Paginator(sel.digest_list(run=run, q=q, department=department, sort=sort, mixed=mixed, region=region),
                     PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    totals = sel.digest_totals(run)
    return render(request, "consultation/analysis/digest.html",
                  {"campaign": campaign, "run": run, "page": page, "q": q, "department": department, "sort": sort,
                   "mixed": mixed, "mixed_choices": MIXED_LABELS, "n_mixed": totals["mixed"],
                   "n_digest": totals["n"], "has_digest": totals["n"] > 0,
                   "filtered": bool(q or department or mixed or region), "departments": sel.digest_departments(run),
                   "sorts": [*SORT_LABELS, *([REGION_SORT] if region else [])], "query": query.urlencode(),
                   **regional})


@login_required
def novel(request: HttpRequest, slug: str) -> HttpResponse:
    """Novel ideas (金点子): single letters with a specific proposal nobody else made, best first."""
    campaign = managed_campaign(request.user, slug)
    run = _run_or_404(campaign)
    page = Paginator(run.novel_ideas.select_related("suggestion__department"), PAGE).get_page(request.GET.get("page"))
    return render(request, "consultation/analysis/novel.html", {"campaign": campaign, "run": run, "page": page})


SORT_LABELS = [("people", gettext_lazy("提出人数")), ("messages", gettext_lazy("建议条数")), ("likes", gettext_lazy("点赞")),
               ("coherence", gettext_lazy("一致性（低者在前）")), ("spread", gettext_lazy("诉求分散度（高者在前）")),
               ("recent", gettext_lazy("最近提出"))]
REGION_SORT = ("region", gettext_lazy("本地区来信数"))
MIXED_LABELS = [("", gettext_lazy("全部建议")), ("yes", gettext_lazy("只看内容可能混杂的")),
                ("no", gettext_lazy("只看诉求一致的"))]


@login_required
def digest_item(request: HttpRequest, slug: str, code: str) -> HttpResponse:
    """One suggestion of the digest: headline, counts, quotes, and its member suggestions."""
    campaign = managed_campaign(request.user, slug)
    run = _run_or_404(campaign)
    item = get_object_or_404(run.digest, code=code)
    members = _members_of_region(request, run, sel.results_of_digest(run=run, item=item))
    return render(request, "consultation/analysis/digest_item.html",
                  {"campaign": campaign, "run": run, "item": item, **members, "main_of": item.pk,
                   "officer": scope_for(request.user).is_officer})  # only an officer has an inbox to link


@login_required
def search(request: HttpRequest, slug: str) -> HttpResponse:
    campaign = managed_campaign(request.user, slug)
    run = sel.current_run(campaign)
    filters = sel.SearchFilters.from_query(request.GET)
    page = CappedPaginator(sel.suggestions_search(campaign=campaign, run=run, filters=filters), PAGE,
                           cap=1_000 if filters.q else 10_000).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {"campaign": campaign, "run": run, "f": filters, "page": page, "query": query.urlencode(),
               "channels": campaign.channels.all(),
               "departments": sel.search_departments(campaign=campaign, chosen=filters.department),
               "statuses": Suggestion.Status.choices,
               "regions": sel.search_regions(campaign=campaign, chosen=filters.region),
               "themes": run.themes.filter(level="broad") if run else [], "export_max": f"{EXPORT_MAX:,}"}
    return render(request, "consultation/analysis/search.html", context)


@login_required
def search_export(request: HttpRequest, slug: str, fmt: str) -> HttpResponse:
    """The current search and filters as CSV or XLSX (see :mod:`~minsheng.consultation.analysis.export`)."""
    campaign = managed_campaign(request.user, slug)
    rows = search_export_rows(user=request.user, campaign=campaign, run=sel.current_run(campaign),
                              filters=sel.SearchFilters.from_query(request.GET))
    return export_response(rows, fmt=fmt, name=f"{slug}-search")


@login_required
@require_POST
def retrain(request: HttpRequest, slug: str) -> HttpResponse:
    campaign = managed_campaign(request.user, slug)
    try:
        router_retrain_check(actor=request.user, campaign=campaign)
    except ValidationError as exc:
        return refuse(request, exc, "analysis", slug=slug)
    else:
        tasks.router_retrain_task.enqueue(campaign.pk, request.user.pk)
        messages.success(request, _("已开始重新训练分派模型，完成后刷新本页可见前后得分。"))
    return redirect("analysis", slug=slug)
