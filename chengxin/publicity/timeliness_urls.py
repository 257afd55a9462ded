from django.urls import path

from chengxin.publicity import timeliness

app_name = "publicity_timeliness"
urlpatterns = [
    path("", timeliness.dashboard, name="dashboard"),
    path("department/<int:pk>/", timeliness.department_dashboard, name="department"),
    path("export/", timeliness.export, name="export"),
]
