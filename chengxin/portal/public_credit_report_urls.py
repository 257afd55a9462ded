from django.urls import path

from chengxin.portal import credit_report_views

app_name = "credit_reports"
urlpatterns = [
    path("subjects/<str:key>/report/", credit_report_views.download, name="download"),
    path("verify/", credit_report_views.verify_start, name="verify-start"),
    path("verify/<str:number>/", credit_report_views.verify, name="verify"),
]
