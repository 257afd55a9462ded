from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from chengxin.imports.api import api as records_api
from chengxin.portal.api import api as public_api
from chengxin.screening.api.urls import urls as checks_api

admin.site.site_header = _("诚信 · 管理后台")
admin.site.site_title = _("诚信")

urlpatterns = [
    # The machine APIs first: their requests are the most frequent and are resolved without
    # trying every site pattern before them (none of which starts with api/).
    path("api/v1/", records_api.urls),
    path("api/v1/", checks_api),
    path("api/v1/public/", public_api.urls),
    path("", include("chengxin.portal.public_statistics_urls")),
    path("", include("chengxin.portal.public_credit_report_urls")),
    path("", include("chengxin.portal.public_urls")),
    path("", include("chengxin.core.urls")),
    path("accounts/", include("chengxin.accounts.urls")),
    path("staff/imports/", include("chengxin.imports.urls")),
    path("staff/registers/", include("chengxin.imports.registers_urls")),
    path("staff/publicity/timeliness/", include("chengxin.publicity.timeliness_urls")),
    path("staff/publicity/", include("chengxin.publicity.urls")),
    path("staff/screening/", include("chengxin.screening.urls")),
    path("staff/repair/", include("chengxin.repair.urls")),
    path("staff/outbox/", include("chengxin.outbox.urls")),
    path("staff/exchange/", include("chengxin.exchange.urls")),
    path("staff/agencies/", include("chengxin.agencies.urls")),
    path("staff/powers/", include("chengxin.powers.urls")),
    path("staff/cases/", include("chengxin.cases.urls")),
    path("staff/documents/", include("chengxin.documents.urls")),
    path("staff/decisions/", include("chengxin.decisions.urls")),
    path("staff/disputes/", include("chengxin.disputes.urls")),
    path("staff/reports/", include("chengxin.reports.urls")),
    path("repair/", include("chengxin.repair.public_urls")),
    path("enforcement/", include("chengxin.agencies.public_urls")),
    path("powers/", include("chengxin.powers.public_urls")),
    path("documents/", include("chengxin.documents.public_urls")),
    path("decisions/", include("chengxin.decisions.public_urls")),
    path("mediation/", include("chengxin.disputes.public_urls")),
    path("rule-of-law-reports/", include("chengxin.reports.public_urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]

# Chinese error pages in the site's layout; `{"error": "…"}` JSON under /api/ (core.views).
handler400 = "chengxin.core.views.bad_request"
handler403 = "chengxin.core.views.permission_denied"
handler404 = "chengxin.core.views.page_not_found"
handler500 = "chengxin.core.views.server_error"
