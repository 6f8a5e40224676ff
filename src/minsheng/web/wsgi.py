"""WSGI entry point: ``gunicorn minsheng.web.wsgi``."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "minsheng.web.settings")
application = get_wsgi_application()

from minsheng.web.keys import keys_check  # noqa: E402  (needs the settings loaded above)

keys_check()
