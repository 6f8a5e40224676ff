"""The demo's generated passwords pass the rules a person choosing one is held to (12 characters, not common)."""

from __future__ import annotations

from django.contrib.auth.password_validation import validate_password

from minsheng.accounts.models import User


def test_the_demos_passwords_pass_the_password_rules(db):
    from minsheng.demo.assistance import seed_assistance

    passwords = seed_assistance(recipients=20, seed=3)["passwords"]
    assert len(passwords) > 8
    for username, password in passwords.items():
        validate_password(password, User.objects.get(username=username))
