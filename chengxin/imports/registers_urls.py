from django.urls import path

from chengxin.imports import views_registers as views

app_name = "registers"
urlpatterns = [
    path("", views.index, name="index"),
    path("<slug:key>/", views.upload, name="upload"),
    path("<slug:key>/template.xlsx", views.template, name="template"),
    path("<slug:key>/<int:pk>/", views.batch, name="batch"),
    path("<slug:key>/<int:pk>/rejected.xlsx", views.report, name="report"),
]
