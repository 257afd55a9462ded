"""Staff pages of agencies (mounted under /staff/agencies/)."""

from django.urls import URLPattern, path

from chengxin.agencies import views_staff

app_name = "agencies"
urlpatterns: list[URLPattern] = [
    path("", views_staff.overview, name="overview"),
    path("bodies/", views_staff.body_list, name="bodies"),
    path("bodies/new/", views_staff.body_edit, name="body_new"),
    path("bodies/<int:pk>/", views_staff.body_detail, name="body"),
    path("bodies/<int:pk>/edit/", views_staff.body_edit, name="body_edit"),
    path("bodies/<int:pk>/revoke/", views_staff.body_revoke, name="body_revoke"),
    path("officers/", views_staff.officer_list, name="officers"),
    path("officers/new/", views_staff.officer_edit, name="officer_new"),
    path("officers/<int:pk>/", views_staff.officer_detail, name="officer"),
    path("officers/<int:pk>/edit/", views_staff.officer_edit, name="officer_edit"),
    path("officers/<int:pk>/<slug:name>/", views_staff.officer_status, name="officer_status"),
    path("cleanup/", views_staff.cleanup, name="cleanup"),
]
