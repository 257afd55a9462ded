"""Public pages of agencies (no login)."""

from django.urls import URLPattern

app_name = "agencies_public"
urlpatterns: list[URLPattern] = []
