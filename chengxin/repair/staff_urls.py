"""Staff pages of credit repair: the queue with due dates, an application and its actions."""

from django.urls import URLPattern

app_name = "repair_staff"
urlpatterns: list[URLPattern] = []
