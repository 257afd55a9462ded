from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

admin.site.site_header = _("诚信 · 管理后台")
admin.site.site_title = _("诚信")

urlpatterns = [
    path("", include("chengxin.portal.statistics_urls")),
    path("", include("chengxin.portal.report_urls")),
    path("", include("chengxin.portal.urls")),
    path("", include("chengxin.core.urls")),
    path("accounts/", include("chengxin.accounts.urls")),
    path("staff/imports/", include("chengxin.imports.urls")),
    path("staff/publicity/reports/", include("chengxin.publicity.report_urls")),
    path("staff/publicity/", include("chengxin.publicity.urls")),
    path("staff/screening/", include("chengxin.screening.urls")),
    path("staff/repair/", include("chengxin.repair.staff_urls")),
    path("staff/outbox/", include("chengxin.outbox.urls")),
    path("repair/", include("chengxin.repair.urls")),
    path("api/v1/", include("chengxin.publicity.api.urls")),
    path("api/v1/", include("chengxin.screening.api.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]
