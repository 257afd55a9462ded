"""Staff pages of credit repair: the queue with due dates, an application and its actions."""

from django.urls import URLPattern, path

from chengxin.repair import views_staff

app_name = "repair_staff"
urlpatterns: list[URLPattern] = [
    path("", views_staff.queue, name="queue"),
    path("<int:pk>/", views_staff.detail, name="detail"),
    path("<int:pk>/evidence/<int:evidence_pk>/", views_staff.evidence_file, name="evidence"),
    path("<int:pk>/<slug:name>/", views_staff.act, name="action"),
]
