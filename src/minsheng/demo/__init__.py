"""The demo seed (``minsheng manage seed_demo``): accounts, a consultation campaign, an assistance district.

A Django app only so that its management command is found; nothing in the product imports it.
"""
