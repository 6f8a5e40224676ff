"""Writes for assistance: keyword-only ``<entity>_<action>`` functions, one transaction each, audited."""
