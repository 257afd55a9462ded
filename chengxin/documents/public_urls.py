"""Public pages of documents (no login), mounted at /documents/."""

from django.urls import URLPattern, path

from chengxin.documents import views_public

app_name = "documents_public"
urlpatterns: list[URLPattern] = [
    path("", views_public.index, name="index"),
    path("bodies/", views_public.bodies, name="bodies"),
    path("<int:pk>/", views_public.detail, name="detail"),
    path("drafts/", views_public.drafts, name="drafts"),
    path("drafts/<int:pk>/", views_public.draft, name="draft"),
]
