"""Staff pages of reports (mounted under /staff/reports/)."""

from django.urls import URLPattern

app_name = "reports"
urlpatterns: list[URLPattern] = []
