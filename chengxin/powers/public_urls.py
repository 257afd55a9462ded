"""Public pages of powers (no login), mounted under /powers/."""

from django.urls import URLPattern, path

from chengxin.powers import views_public

app_name = "powers_public"
urlpatterns: list[URLPattern] = [
    path("", views_public.power_list, name="list"),
    path("export.<slug:fmt>", views_public.power_export, name="export"),
    path("items/<int:pk>/", views_public.item_detail, name="item"),
]
