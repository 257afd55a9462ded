"""Public pages of credit repair: apply from a subject page, follow by receipt number."""

from django.urls import URLPattern

app_name = "repair"
urlpatterns: list[URLPattern] = []
