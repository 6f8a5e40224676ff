"""Consultation (建言): one package per feature — intake/, analysis/, workbench/, publishing/ — over _db/ infrastructure."""
