"""Reads for assistance, each scoped by the reader (see ``scope``)."""
