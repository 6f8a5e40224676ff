"""Accounts: people, their roles, the areas and organisations they belong to.

Shared by the consultation and assistance platforms: a role is always granted within an organisation
and/or an area, so every later permission check can ask "which departments / which villages may this user see?".
"""
