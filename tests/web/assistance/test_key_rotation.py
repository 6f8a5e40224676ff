"""ID-number keys rotate without losing anyone: new key first, old keys still decrypt and find, `rotate_keys`
rewrites every row; a key that was dropped too early is a clear message, never a 500; no key, no start."""

from __future__ import annotations

import io
import os
import subprocess
import sys

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError

from minsheng.assistance.models import Category, Recipient
from minsheng.assistance.selectors.records import recipients_for
from minsheng.assistance.services.recipients import recipient_register, recipient_reveal_id

from .conftest import TEST_KEY, make_id

NUMBER_A = make_id("43040519450312002")
NEW_KEY = "new-assistance-key-9876543210-zyxwvutsrqponmlkjihgfedcba"


def _works(aid) -> None:
    """Reveal, full-number search and the duplicate check all work for 李奶奶."""
    assert recipient_reveal_id(actor=aid.civil, recipient=aid.grandma_a, purpose="核对低保申请材料") == NUMBER_A
    assert list(recipients_for(aid.civil, q=NUMBER_A)) == [aid.grandma_a]
    with pytest.raises(ValidationError, match="已登记"):
        recipient_register(actor=aid.cadre_a, name="李奶奶", id_number=NUMBER_A, area=aid.village_a,
                           category=Category.TEKUN, consent=True)


@pytest.mark.django_db
def test_a_new_key_first_then_rotate_keys_then_the_old_key_dropped(aid, settings):
    old_row = Recipient.objects.get(pk=aid.grandma_a.pk)
    settings.ASSISTANCE_ID_KEY = f"{NEW_KEY},{TEST_KEY}"
    _works(aid)
    out = io.StringIO()
    call_command("rotate_keys", stdout=out)
    assert "re-hashed with the current key: 2" in out.getvalue()
    new_row = Recipient.objects.get(pk=aid.grandma_a.pk)
    assert new_row.id_hash != old_row.id_hash and new_row.id_encrypted != old_row.id_encrypted
    settings.ASSISTANCE_ID_KEY = NEW_KEY
    aid.grandma_a.refresh_from_db()
    _works(aid)


@pytest.mark.django_db
def test_a_key_dropped_too_early_is_a_clear_refusal_not_a_500(client, aid, settings):
    settings.ASSISTANCE_ID_KEY = NEW_KEY
    with pytest.raises(ValidationError, match="无法解密"):
        recipient_reveal_id(actor=aid.civil, recipient=aid.grandma_a, purpose="核对低保申请材料")
    client.force_login(aid.civil)
    response = client.post(f"/assistance/recipients/{aid.grandma_a.pk}/reveal/", {"reason": "审核申请材料", "purpose": "核对低保申请材料"})
    assert response.status_code < 500 and "无法解密" in response.content.decode()


@pytest.mark.parametrize("entry", ["import minsheng.web.wsgi", "from minsheng.cli import main; sys.exit(main(['serve']))"])
def test_without_a_key_and_debug_off_the_server_does_not_start(entry, tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in ("ASSISTANCE_ID_KEY", "DEBUG")}
    env.update(MINSHENG_VAR_DIR=str(tmp_path), DJANGO_SETTINGS_MODULE="minsheng.web.settings")
    done = subprocess.run([sys.executable, "-c", f"import sys; {entry}"], env=env, capture_output=True, text=True,
                          timeout=60)
    assert done.returncode != 0 and "ASSISTANCE_ID_KEY is not set" in done.stderr


@pytest.mark.django_db
def test_check_keys_reads_every_id_number_and_names_the_first_a_wrong_key_cannot_open(aid, settings):
    out = io.StringIO()
    call_command("check_keys", stdout=out)
    assert "ID numbers: 2 read and found with ASSISTANCE_ID_KEY, 0 not" in out.getvalue()
    before = list(Recipient.objects.order_by("pk").values_list("id_encrypted", "id_hash"))
    # the environment file of another site, restored beside this database
    settings.ASSISTANCE_ID_KEY = NEW_KEY
    first = Recipient.objects.order_by("pk").first()
    with pytest.raises(CommandError, match=rf"ID numbers \(first: recipient {first.pk}\) were encrypted"):
        call_command("check_keys", stdout=io.StringIO())
    assert list(Recipient.objects.order_by("pk").values_list("id_encrypted", "id_hash")) == before
