"""Staff pages of decisions (mounted under /staff/decisions/)."""

from django.urls import URLPattern, path

from chengxin.decisions import views_staff

app_name = "decisions"
urlpatterns: list[URLPattern] = [
    path("", views_staff.dashboard, name="dashboard"),
    path("catalogues/", views_staff.catalogues, name="catalogues"),
    path("catalogues/<int:pk>/", views_staff.catalogue, name="catalogue"),
    path("catalogues/<int:pk>/publish/", views_staff.publish_catalogue, name="publish_catalogue"),
    path("items/", views_staff.decision_list, name="list"),
    path("items/<int:pk>/", views_staff.decision_detail, name="detail"),
    path(
        "items/<int:pk>/documents/<int:document_pk>/",
        views_staff.document_file,
        name="document",
    ),
    path(
        "items/<int:pk>/comments/<int:comment_pk>/",
        views_staff.handle_comment,
        name="handle_comment",
    ),
    path("items/<int:pk>/<slug:name>/", views_staff.act, name="action"),
    path("reviews/", views_staff.review_queue, name="reviews"),
    path("reviews/<int:pk>/", views_staff.review, name="review"),
]
