from django.urls import path

from chengxin.portal import report_views

app_name = "portal_reports"
urlpatterns = [
    path("subjects/<str:key>/report/", report_views.download, name="download"),
    path("verify/", report_views.verify_start, name="verify-start"),
    path("verify/<str:number>/", report_views.verify, name="verify"),
]
