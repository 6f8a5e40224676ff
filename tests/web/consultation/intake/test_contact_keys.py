"""Contacts have their own versioned key: rotating SECRET_KEY loses nothing, CONTACT_KEY=new,old keeps every
contact readable, `rotate_keys` moves them to the new key, and no key outside DEBUG is a refusal."""

from __future__ import annotations

import io

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.core.management.base import CommandError

from minsheng.consultation.intake.contact import decrypt_contact, encrypt_contact
from minsheng.consultation.intake.models import Suggestion
from minsheng.consultation.intake.services import suggestion_submit

OLD, NEW = "old-contact-key-0123456789-abcdefghijklmnop", "new-contact-key-9876543210-zyxwvutsrqponmlk"


def test_rotating_secret_key_keeps_contacts_readable(settings):
    settings.CONTACT_KEY = OLD
    token = encrypt_contact("13800001111")
    settings.SECRET_KEY = "a-completely-different-session-signing-key-0123456789"
    assert decrypt_contact(token) == "13800001111"


def test_no_contact_key_outside_debug_is_refused(settings):
    settings.CONTACT_KEY, settings.DEBUG = "", False
    with pytest.raises(ImproperlyConfigured, match="CONTACT_KEY"):
        encrypt_contact("13800001111")


@pytest.mark.django_db
def test_new_key_first_then_rotate_keys_then_the_old_key_dropped(cast, settings):
    settings.CONTACT_KEY = OLD
    suggestion_submit(campaign=cast.campaign, text="建议增加公交线路", contact="liu@example.com")
    settings.CONTACT_KEY = f"{NEW},{OLD}"
    stored = Suggestion.objects.get()
    assert decrypt_contact(stored.contact_encrypted) == "liu@example.com"
    out = io.StringIO()
    call_command("rotate_keys", stdout=out)
    assert "contacts re-encrypted with the current key: 1" in out.getvalue()
    settings.CONTACT_KEY = NEW
    assert decrypt_contact(Suggestion.objects.get().contact_encrypted) == "liu@example.com"


@pytest.mark.django_db
def test_check_keys_finds_a_contact_only_a_key_no_longer_listed_opens(cast, settings):
    settings.CONTACT_KEY = OLD
    suggestion_submit(campaign=cast.campaign, text="建议增加公交线路", contact="liu@example.com")
    settings.CONTACT_KEY = f"{NEW},{OLD}"
    out = io.StringIO()
    call_command("check_keys", stdout=out)
    assert "contacts: 1 read with CONTACT_KEY, 0 not" in out.getvalue()
    settings.CONTACT_KEY = NEW
    with pytest.raises(CommandError, match=rf"contacts \(first: suggestion {Suggestion.objects.get().pk}\)"):
        call_command("check_keys", stdout=io.StringIO())
