"""Staff pages of decisions (mounted under /staff/decisions/)."""

from django.urls import URLPattern

app_name = "decisions"
urlpatterns: list[URLPattern] = []
