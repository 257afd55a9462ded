"""Staff pages of disputes (mounted under /staff/disputes/)."""

from django.urls import URLPattern

app_name = "disputes"
urlpatterns: list[URLPattern] = []
