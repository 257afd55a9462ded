"""The published annual reports on the portal's 政务公开 pages (no login), at /rule-of-law-reports/."""

from django.urls import URLPattern, path

from chengxin.reports import views_public

app_name = "reports_public"
urlpatterns: list[URLPattern] = [
    path("", views_public.index, name="index"),
    path("<int:year>/", views_public.detail, name="detail"),
    path("<int:year>/<str:fmt>/", views_public.download, name="download"),
]
