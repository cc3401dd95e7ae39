from django.urls import path

from . import views

app_name = "pages"

urlpatterns = [
    path("p/<str:slug>/", views.detail, name="detail"),
]
