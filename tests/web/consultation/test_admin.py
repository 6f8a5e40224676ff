"""The back office of consultation: rows only the platform's pages make are shown there, never added by hand."""

from __future__ import annotations

import pytest


@pytest.mark.django_db
@pytest.mark.parametrize("model", ["channel", "suggestion", "importjob"])
def test_rows_only_the_services_make_are_not_added_in_the_admin(client, cast, model):
    """A channel added here had no key (its prefix and hash are read-only), a suggestion no receipt, an import no
    task to run it: each a row that looked real and worked for nobody."""
    cast.owner.is_staff = cast.owner.is_superuser = True
    cast.owner.save()
    client.force_login(cast.owner)
    assert client.get(f"/admin/consultation/{model}/add/").status_code == 403
    listing = client.get(f"/admin/consultation/{model}/").content.decode()
    assert f'href="/admin/consultation/{model}/add/"' not in listing
