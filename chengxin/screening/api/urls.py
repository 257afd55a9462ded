"""JSON API of credit checks for the approval and trading systems (Bearer tokens)."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
