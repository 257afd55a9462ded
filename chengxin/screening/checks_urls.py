"""Staff pages for credit checks: single and batch checks, feedback, the credit office dashboard."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
