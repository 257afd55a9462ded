"""Staff pages of documents (mounted under /staff/documents/)."""

from django.urls import URLPattern

app_name = "documents"
urlpatterns: list[URLPattern] = []
