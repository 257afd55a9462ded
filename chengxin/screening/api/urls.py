"""JSON API of credit checks for the approval and trading systems (Bearer tokens)."""

from django.urls import URLPattern, path

from chengxin.screening.api import views

app_name = "screening_api"
urlpatterns: list[URLPattern] = [
    path("checks", views.create_check, name="checks"),
    path("checks/batch", views.create_batch, name="batch"),
    path("checks/openapi.json", views.openapi, name="openapi"),
    path("checks/<int:pk>", views.check_detail, name="check"),
    path("checks/<int:pk>/feedback", views.check_feedback, name="feedback"),
]
