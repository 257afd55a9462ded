"""Staff pages for list types, list entries (with import) and the measures catalogue."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
