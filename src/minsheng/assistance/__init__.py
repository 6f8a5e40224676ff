"""Assistance platform (救助服务, "一张网、五统一"): recipients, needs, dispatch, service, feedback.

Its rule is the acceptance test: communication before the service, effect during it, feedback after it.
Writes live in ``services``, reads in ``selectors`` (always scoped by the reader's areas and role).
"""
