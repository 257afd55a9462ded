"""Staff pages of the synchronisation outbox: messages, dead letters and retry."""

from django.urls import URLPattern

app_name = "outbox"
urlpatterns: list[URLPattern] = []
