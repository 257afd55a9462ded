"""Staff pages of documents (mounted under /staff/documents/)."""

from django.urls import URLPattern, path

from chengxin.documents import views_staff

app_name = "documents"
urlpatterns: list[URLPattern] = [
    path("", views_staff.dashboard, name="dashboard"),
    path("list/", views_staff.document_list, name="list"),
    path("register/", views_staff.register, name="register"),
    path("export/", views_staff.export_register, name="export"),
    path("filings/", views_staff.filings, name="filings"),
    path("reviews/", views_staff.review_queue, name="reviews"),
    path("reviews/<int:pk>/", views_staff.review, name="review"),
    path("bodies/", views_staff.bodies, name="bodies"),
    path("bodies/new/", views_staff.body_form, name="body_add"),
    path("bodies/<int:pk>/", views_staff.body_form, name="body_edit"),
    path("<int:pk>/", views_staff.detail, name="detail"),
    path("<int:pk>/comments/<int:comment_pk>/", views_staff.handle_comment, name="handle_comment"),
    path("<int:pk>/<slug:name>/", views_staff.act, name="action"),
]
