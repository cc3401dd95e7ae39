from django.urls import path

from . import views

app_name = "mostread"

urlpatterns = [
    path("hit/", views.hit, name="hit"),
]
