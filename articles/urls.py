from django.urls import path

from . import feeds, views

app_name = "articles"

urlpatterns = [
    path("", views.home, name="home"),
    path("news/<int:pk>/<str:slug>/", views.detail, name="detail"),
    path("news/<int:pk>/", views.detail, {"slug": ""}, name="detail-short"),
    path("preview/<int:pk>/", views.preview, name="preview"),
    path("category/<str:slug>/", views.category, name="category"),
    path("category/<str:slug>/rss/", feeds.CategoryFeed(), name="category-rss"),
    path("category/<str:slug>/atom/", feeds.CategoryAtom(), name="category-atom"),
    path("tag/<str:slug>/", views.tag, name="tag"),
    path("author/<str:slug>/", views.author, name="author"),
    path("archive/", views.archive_index, name="archive"),
    path("archive/<int:year>/", views.archive_year, name="archive-year"),
    path("archive/<int:year>/<int:month>/", views.archive_month, name="archive-month"),
    path("feeds/rss/", feeds.LatestArticlesFeed(), name="rss"),
    path("feeds/atom/", feeds.LatestArticlesAtom(), name="atom"),
]
