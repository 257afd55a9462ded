from django.urls import path

from chengxin.core import views, views_golive

app_name = "core"
urlpatterns = [
    path("staff/", views.dashboard, name="dashboard"),
    path("staff/go-live/", views_golive.checklist, name="golive"),
    path("favicon.ico", views.favicon, name="favicon"),
    path("healthz", views.health, name="health"),
]
