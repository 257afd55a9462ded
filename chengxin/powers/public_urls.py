"""Public pages of powers (no login)."""

from django.urls import URLPattern

app_name = "powers_public"
urlpatterns: list[URLPattern] = []
