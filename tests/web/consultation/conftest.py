"""Fixtures of the consultation tests: a campaign with a few hundred generated suggestions (some with contacts,
some copies of one form letter), fed and then analysed."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _own_var_dir(settings, tmp_path):
    """Run directories and router models of a test live in its own directory."""
    settings.VAR_DIR = tmp_path
    settings.ANALYSIS_WORKERS = 1  # no process pool for a few hundred rows
    from django.core.cache import cache

    cache.clear()  # ids repeat between rolled-back tests: no summary cached by one may serve the next


@pytest.fixture
def fed(cast):
    """The cast's campaign fed through the partner API; every suggestion starts in 交通运输局 or 教育局."""
    from minsheng.consultation.intake.models import Suggestion
    from minsheng.consultation.intake.services import suggestions_ingest
    from minsheng.engine.synth import generate

    frame = generate(240, seed=3)
    items = [{"external_id": str(r["id"]), "title": r.get("title") or "", "text": r["body"],
              "author_name": str(r.get("user") or ""), "contact": f"user{i}@example.cn" if i % 3 == 0 else "",
              "submitted_at": str(r["time"]).replace(" ", "T") + "+08:00"}
             for i, r in enumerate(frame.to_dict("records"))]
    letter = "强烈建议在城区增加公共停车位，解决停车难问题，方便群众出行，这是大家共同的心声。"
    items += [{"external_id": f"letter-{i}", "text": letter + ("谢谢" * (i % 3)), "author_name": f"网友{i}",
               "contact": f"fan{i}@example.cn"} for i in range(12)]
    results = suggestions_ingest(channel=cast.channel, items=items)
    assert all(r.created for r in results)
    # Half to each department, as an earlier routing would have left them.
    ids = list(Suggestion.objects.order_by("pk").values_list("pk", flat=True))
    held = Suggestion.status_when_held()
    Suggestion.objects.filter(pk__in=ids[::2]).update(department=cast.dept_a, status=held)
    Suggestion.objects.filter(pk__in=ids[1::2]).update(department=cast.dept_b, status=held)
    Suggestion.objects.filter(external_id__startswith="letter-").update(department=cast.dept_a, status=held)
    return cast


@pytest.fixture
def analysed(fed, settings, django_capture_on_commit_callbacks):
    """``fed`` after one finished analysis run (reports skipped: the run tests cover them)."""
    from minsheng.consultation.analysis.services import analysis_run_start

    settings.ANALYSIS_REPORTS = False
    with django_capture_on_commit_callbacks(execute=True):
        run = analysis_run_start(campaign=fed.campaign, user=fed.owner)
    run.refresh_from_db()
    assert run.status == "done", run.error
    fed.run = run
    return fed
