import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")

from newsroom.pagecache_local import LocalPageCache  # noqa: E402 - needs the settings module

application = LocalPageCache(get_wsgi_application())
