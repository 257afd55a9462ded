"""Staff pages of agencies (mounted under /staff/agencies/)."""

from django.urls import URLPattern

app_name = "agencies"
urlpatterns: list[URLPattern] = []
