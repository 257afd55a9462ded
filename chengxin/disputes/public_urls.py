"""Public pages of disputes: the mediation rooms (where to take a dispute), at /mediation/."""

from django.urls import URLPattern, path

from chengxin.disputes import views_public

app_name = "disputes_public"
urlpatterns: list[URLPattern] = [
    path("mediation-rooms/", views_public.mediation_rooms, name="mediation_rooms"),
]
