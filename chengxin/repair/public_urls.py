"""Public pages of credit repair: apply from a subject page, follow by receipt number."""

from django.urls import path

from chengxin.repair import views_public

app_name = "repair"
urlpatterns = [
    path("subjects/<uuid:public_id>/", views_public.choose, name="choose"),
    path(
        "subjects/<uuid:public_id>/<str:kind>/<int:pk>/",
        views_public.apply,
        name="apply",
    ),
    path("status/", views_public.lookup, name="lookup"),
    path("status/<str:receipt_number>/", views_public.status, name="status"),
]
