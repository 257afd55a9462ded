"""The open statistics page (公开统计) and its CSV downloads, outside the portal's own URLs."""

from django.urls import path

from chengxin.portal import statistics_views

app_name = "portal_statistics"
urlpatterns = [
    path("statistics/", statistics_views.page, name="page"),
    path("statistics.csv", statistics_views.download, name="csv"),
]
