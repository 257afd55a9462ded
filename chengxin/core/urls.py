from django.urls import path

from chengxin.core import views

app_name = "core"
urlpatterns = [
    path("staff/", views.dashboard, name="dashboard"),
    path("favicon.ico", views.favicon, name="favicon"),
    path("healthz", views.health, name="health"),
]
