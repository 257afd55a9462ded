"""Public pages of decisions (no login)."""

from django.urls import URLPattern

app_name = "decisions_public"
urlpatterns: list[URLPattern] = []
