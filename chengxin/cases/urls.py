"""Staff pages of cases (mounted under /staff/cases/)."""

from django.urls import URLPattern, path

from chengxin.cases import views

app_name = "cases"
urlpatterns: list[URLPattern] = [
    path("", views.case_list, name="list"),
    path("new/", views.case_register, name="register"),
    path("<int:pk>/", views.case_detail, name="detail"),
    path("<int:pk>/steps/<slug:kind>/", views.case_step, name="step"),
    path("<int:pk>/do/<slug:name>/", views.case_action, name="action"),
    path("<int:pk>/head/<slug:name>/", views.case_head_action, name="head_action"),
    path("<int:pk>/attachments/<int:attachment_pk>/", views.attachment_file, name="attachment"),
    path("reviews/", views.review_queue, name="reviews"),
    path("reviews/<int:pk>/", views.review_form, name="review"),
    path("reviewers/", views.reviewer_list, name="reviewers"),
    path("reviewers/new/", views.reviewer_edit, name="reviewer_new"),
    path("reviewers/<int:pk>/", views.reviewer_edit, name="reviewer"),
    path("sign-off/", views.sign_off_queue, name="sign_off"),
    path("handling/", views.handling_report, name="handling"),
    path("reports/off-network/", views.off_network_report, name="off_network"),
    path("reports/publicity/", views.publicity_report, name="publicity"),
]
