from django.urls import path

from chengxin.imports import views

app_name = "imports"
urlpatterns = [
    path("", views.batch_list, name="batches"),
    path("upload/", views.upload, name="upload"),
    path("<int:pk>/", views.batch_detail, name="batch"),
    path("<int:pk>/status.json", views.batch_status, name="status"),
    path("<int:pk>/rejected.xlsx", views.batch_report, name="report"),
]
