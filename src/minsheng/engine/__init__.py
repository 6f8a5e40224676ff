"""The analysis engine (梳理分析): plain functions and estimators over columnar batches.

No Django imports here: the engine runs from the CLI on files and inside the platform on the database.

Record batches are pandas DataFrames with these columns (the contract between stages):

==================  =========================================================================
``id``              string; the source's id, or ``<file>:<row>`` when the source has none
``text``            string; after :mod:`normalise` it is the masked, normalised text
``time``            datetime64 (NaT when unknown)
``user``            string or null; pseudonymous submitter id
``channel``         string or null; outlet / app / hotline
``region``          string or null; where the suggestion comes from (a province, a district), masked as the text
                    is; only when the input has a region column (``--region-col``, or a header such as 地区)
``source``          string; the input file's name
``row``             int; 1-based data row in that file (header excluded), for error messages
extra columns       kept under their own names (``--extra-col``), e.g. ``label``, ``likes``
==================  =========================================================================

Later stages add ``dup_group``, ``dup_group_size``, ``is_representative``, ``campaign_id``,
``campaign_addition``, ``department``, ``department_confidence``, ``needs_review``, ``theme_id``,
``theme_broad_id``, ``theme_score``, ``place``, ``place_key``, ``place_kind``, ``district``, ``hot_issue_id``.

The entry point is :func:`analyze` (in :mod:`minsheng.engine.pipeline`): input files in, one
:class:`AnalysisResult` (:mod:`minsheng.engine.result`) out, written with :func:`write_result` and read back
with :func:`read_result`::

    from minsheng import engine
    result = engine.analyze(["a.csv"], engine.AnalyzeOptions(), steps=[engine.STEPS[0]])
    engine.write_result(result, "out/")
"""

from minsheng.engine._deferred import attributes_on_use, defer_when_scipy_loads

_PUBLIC = {"analyze": "pipeline", "AnalyzeOptions": "pipeline", "STEPS": "pipeline",
           "AnalysisResult": "result", "read_result": "result", "write_result": "result",
           "join_increment": "increment"}
__all__ = sorted(_PUBLIC)

#: Imported on first use: ``minsheng.engine.ingest`` alone must not load the whole pipeline.
__getattr__ = attributes_on_use(__name__, _PUBLIC)

defer_when_scipy_loads()  # before any engine module imports scikit-learn (see minsheng.engine._deferred)
