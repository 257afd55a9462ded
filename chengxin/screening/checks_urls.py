"""Staff pages for credit checks: single and batch checks, feedback, the credit office dashboard."""

from django.urls import URLPattern, path

from chengxin.screening import views_checks

urlpatterns: list[URLPattern] = [
    path("checks/", views_checks.check_list, name="checks"),
    path("checks/new/", views_checks.check_new, name="check_new"),
    path("checks/<int:pk>/", views_checks.check_detail, name="check"),
    path("checks/<int:pk>/feedback/", views_checks.check_feedback, name="check_feedback"),
    path("checks/<int:pk>/clear/", views_checks.check_clear_candidate, name="check_clear"),
    path("batches/", views_checks.batch_list, name="batches"),
    path("batches/new/", views_checks.batch_new, name="batch_new"),
    path("batches/<int:pk>/", views_checks.batch_detail, name="batch"),
    path("batches/<int:pk>/results.xlsx", views_checks.batch_results, name="batch_results"),
    path("statistics/", views_checks.dashboard, name="statistics"),
    path("statistics.csv", views_checks.dashboard_csv, name="statistics_csv"),
]
