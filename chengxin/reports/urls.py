"""Staff pages of reports (mounted under /staff/reports/)."""

from django.urls import path

from chengxin.reports import views

app_name = "reports"
urlpatterns = [
    path("annual/", views.annual, name="annual"),
    path("annual/new/", views.create, name="create"),
    path("annual/<int:pk>/", views.report, name="report"),
    path("annual/<int:pk>/save/", views.save, name="save"),
    path("annual/<int:pk>/finalise/", views.finalise, name="finalise"),
    path("annual/<int:pk>/new-version/", views.new_version, name="new_version"),
    path("annual/<int:pk>/submit/", views.submit, name="submit"),
    path("annual/<int:pk>/return/", views.return_report, name="return"),
    path("annual/<int:pk>/publish/", views.publish, name="publish"),
    path("annual/<int:pk>/deliver/", views.deliver, name="deliver"),
    path("annual/<int:pk>/download/", views.download, name="download"),
    path("files/<int:pk>/", views.kept_file, name="file"),
]
