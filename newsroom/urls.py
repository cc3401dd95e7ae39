"""Arabic at the root, French under /fr/, English under /en/; the admin outside the prefixes.

Sitemaps and robots.txt live outside the language prefixes: one sitemap lists every
language's URLs with hreflang alternates.
"""

from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.sitemaps import views as sitemap_views
from django.urls import include, path
from django.views.static import serve

from articles.sitemaps import SITEMAPS as ARTICLE_SITEMAPS
from articles.sitemaps import favicon, news_sitemap, robots_txt
from newsroom import ops
from newsroom.pagecache import page_tags
from pages.sitemaps import PageSitemap

SITEMAPS = {**ARTICLE_SITEMAPS, "pages": PageSitemap}

handler404 = "newsroom.views.page_not_found"
handler500 = "newsroom.views.server_error"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("robots.txt", robots_txt, name="robots"),
    path(
        "sitemap.xml",
        page_tags("sitemap")(sitemap_views.index),
        {"sitemaps": SITEMAPS},
        name="sitemap",
    ),
    path(
        "sitemap-<section>.xml",
        page_tags("sitemap")(sitemap_views.sitemap),
        {"sitemaps": SITEMAPS},
        name="django.contrib.sitemaps.views.sitemap",
    ),
    path("news-sitemap.xml", page_tags("sitemap")(news_sitemap), name="news-sitemap"),
    path("favicon.ico", favicon, name="favicon"),
    path("healthz", ops.healthz, name="healthz"),
    path("readyz", ops.readyz, name="readyz"),
    # Outside the language prefixes: the beacon names its language in the body.
    path("mostread/", include("mostread.urls")),
]

urlpatterns += i18n_patterns(
    path("", include("articles.urls")),
    path("search/", include("search.urls")),
    path("comments/", include("comments.urls")),
    path("contact/", include("contact.urls")),
    path("", include("pages.urls")),
    prefix_default_language=False,
)

if settings.SERVE_MEDIA:
    urlpatterns += [
        path(
            f"{settings.MEDIA_URL.strip('/')}/<path:path>",
            serve,
            {"document_root": settings.MEDIA_ROOT},
        )
    ]
