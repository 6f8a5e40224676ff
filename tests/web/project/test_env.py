"""Settings helpers fail loudly on values they cannot read, instead of running with a silent default."""

from __future__ import annotations

import pytest
from django.core.exceptions import ImproperlyConfigured

from minsheng.web.env import env_bool, env_int, env_list, env_networks


def test_booleans(monkeypatch):
    monkeypatch.setenv("X_FLAG", "Yes")
    assert env_bool("X_FLAG") is True
    monkeypatch.setenv("X_FLAG", "0")
    assert env_bool("X_FLAG", True) is False
    monkeypatch.delenv("X_FLAG")
    assert env_bool("X_FLAG", True) is True
    monkeypatch.setenv("X_FLAG", "maybe")
    with pytest.raises(ImproperlyConfigured, match="X_FLAG"):
        env_bool("X_FLAG")


def test_integers_and_lists(monkeypatch):
    monkeypatch.setenv("X_N", "12")
    assert env_int("X_N", 3) == 12
    monkeypatch.setenv("X_N", "twelve")
    with pytest.raises(ImproperlyConfigured, match="X_N"):
        env_int("X_N", 3)
    monkeypatch.setenv("X_HOSTS", "a.example, b.example,,")
    assert env_list("X_HOSTS", []) == ["a.example", "b.example"]


def test_proxy_networks_are_checked_at_start_up(monkeypatch):
    monkeypatch.setenv("X_PROXIES", "10.0.0.0/8, ::1")
    assert env_networks("X_PROXIES") == ["10.0.0.0/8", "::1"]
    monkeypatch.setenv("X_PROXIES", "10.0.0.0/8, proxy.local")
    with pytest.raises(ImproperlyConfigured, match="proxy.local"):
        env_networks("X_PROXIES")


def test_the_database_comes_from_database_url(settings):
    import os

    engine = settings.DATABASES["default"]["ENGINE"]
    expected = "postgresql" if os.environ.get("DATABASE_URL", "").startswith("postgres") else "sqlite3"
    assert engine.endswith(expected)
