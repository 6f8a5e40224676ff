"""The analysis engine (梳理分析): plain functions and estimators over columnar batches.

No Django imports here: the engine runs from the CLI on files and inside the platform on the database.

Record batches are pandas DataFrames with these columns (the contract between stages):

==================  =========================================================================
``id``              string; the source's id, or ``<file>:<row>`` when the source has none
``text``            string; after :mod:`normalise` it is the masked, normalised text
``time``            datetime64 (NaT when unknown)
``user``            string or null; pseudonymous submitter id
``channel``         string or null; outlet / app / hotline
``source``          string; the input file's name
``row``             int; 1-based data row in that file (header excluded), for error messages
extra columns       kept under their own names (``--extra-col``), e.g. ``label``, ``likes``
==================  =========================================================================

Later stages add ``dup_group``, ``dup_group_size``, ``is_representative``, ``campaign_id``,
``department``, ``department_confidence``, ``needs_review``, ``theme_id``, ``hot_issue_id``.
"""
