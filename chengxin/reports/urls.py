"""Staff pages of reports (mounted under /staff/reports/)."""

from django.urls import path

from chengxin.reports import views

app_name = "reports"
urlpatterns = [
    path("annual/", views.annual, name="annual"),
    path("annual/<int:year>/generate/", views.generate, name="generate"),
    path("files/<int:pk>/", views.kept_file, name="file"),
]
