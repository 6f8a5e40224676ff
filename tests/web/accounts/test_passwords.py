"""ASVS 2.1.1: a password a person chooses has 12 characters at least, refused in Chinese where it is typed."""

from __future__ import annotations

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import translation

from minsheng.accounts.models import User
from minsheng.accounts.services import user_create


def test_eleven_characters_are_refused_in_chinese_and_twelve_pass():
    with translation.override("zh-hans"):
        with pytest.raises(ValidationError) as refused:
            validate_password("kx7-qd2-mw9")
        assert refused.value.messages[0] == "密码太短，至少需要 12 个字符。"
    validate_password("kx7-qd2-mw9p")


@pytest.mark.django_db
def test_the_admins_new_user_form_refuses_a_short_password():
    admin = user_create(username="root", password="x-7291-pass-admin", is_staff=True, is_superuser=True)
    client = Client()
    client.force_login(admin)
    form = {"username": "clerk", "usable_password": "true", "grants-TOTAL_FORMS": "0", "grants-INITIAL_FORMS": "0"}
    response = client.post("/admin/accounts/user/add/", form | {"password1": "kx7-qd2-mw9", "password2": "kx7-qd2-mw9"})
    assert response.status_code == 200 and "密码太短，至少需要 12 个字符。" in response.content.decode()
    assert not User.objects.filter(username="clerk").exists()
    response = client.post("/admin/accounts/user/add/", form | {"password1": "kx7-qd2-mw9p", "password2": "kx7-qd2-mw9p"})
    assert response.status_code == 302 and User.objects.get(username="clerk").check_password("kx7-qd2-mw9p")

