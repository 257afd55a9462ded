"""Staff pages of powers (mounted under /staff/powers/)."""

from django.urls import URLPattern

app_name = "powers"
urlpatterns: list[URLPattern] = []
