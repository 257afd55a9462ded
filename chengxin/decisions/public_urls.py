"""Public pages of decisions (no login), mounted at /decisions/."""

from django.urls import URLPattern, path

from chengxin.decisions import views_public

app_name = "decisions_public"
urlpatterns: list[URLPattern] = [
    path("", views_public.catalogues, name="catalogues"),
    path("<int:year>/", views_public.catalogue, name="catalogue"),
    path("items/<int:pk>/", views_public.decision, name="decision"),
    path("consultations/", views_public.consultations, name="consultations"),
    path("consultations/<int:pk>/", views_public.comment, name="comment"),
    path("consultations/<int:pk>/thanks/", views_public.thanks, name="thanks"),
    path("documents/<int:pk>/", views_public.document, name="document"),
]
