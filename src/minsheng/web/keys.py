"""Start-up refuses to serve without the keys that protect personal data (outside DEBUG).

Called by ``minsheng serve`` before it starts anything and by the WSGI application when it loads, so a
missing key stops deployment at once instead of turning into 500s on the first page that needs it.
"""

from __future__ import annotations


def keys_check() -> None:
    """Raise ``ImproperlyConfigured`` naming the first missing key."""
    from minsheng.assistance.idcrypto import id_keys_check
    from minsheng.consultation.intake.contact import contact_keys_check

    id_keys_check()
    contact_keys_check()
