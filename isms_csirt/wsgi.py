"""WSGI entry point (gunicorn isms_csirt.wsgi)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "isms_csirt.settings")

application = get_wsgi_application()
