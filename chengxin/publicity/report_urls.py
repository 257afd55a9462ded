from django.urls import path

from chengxin.publicity import reports

app_name = "publicity_reports"
urlpatterns = [
    path("", reports.dashboard, name="dashboard"),
    path("department/<int:pk>/", reports.department_dashboard, name="department"),
    path("export/", reports.export, name="export"),
]
