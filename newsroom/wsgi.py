import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")

# Both need the settings module. Outermost: which server answered and the request id, on
# every response; then each worker's one-second copies of hot pages; then Django.
from newsroom.ops import ServedBy  # noqa: E402
from newsroom.pagecache_local import LocalPageCache  # noqa: E402

application = ServedBy(LocalPageCache(get_wsgi_application()))
