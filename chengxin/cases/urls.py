"""Staff pages of cases (mounted under /staff/cases/)."""

from django.urls import URLPattern

app_name = "cases"
urlpatterns: list[URLPattern] = []
