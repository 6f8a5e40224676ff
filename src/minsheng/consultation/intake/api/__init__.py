"""The partner API (``/api/v1/``): plain Django views speaking JSON, described by a hand-written OpenAPI 3 schema."""
