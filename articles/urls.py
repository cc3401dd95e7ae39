from django.urls import path

from . import views

app_name = "articles"

urlpatterns = [
    path("", views.home, name="home"),
    path("news/<int:pk>/<str:slug>/", views.detail, name="detail"),
    path("news/<int:pk>/", views.detail, {"slug": ""}, name="detail-short"),
    path("preview/<int:pk>/", views.preview, name="preview"),
    path("category/<str:slug>/", views.category, name="category"),
    path("tag/<str:slug>/", views.tag, name="tag"),
    path("author/<str:slug>/", views.author, name="author"),
]
