"""Public pages of agencies (no login), mounted under /enforcement/."""

from django.urls import URLPattern, path

from chengxin.agencies import views_public

app_name = "agencies_public"
urlpatterns: list[URLPattern] = [
    path("", views_public.body_list, name="bodies"),
    path("officers/", views_public.officer_list, name="officers"),
]
