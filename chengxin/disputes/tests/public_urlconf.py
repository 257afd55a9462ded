"""The project's URLs plus the disputes public pages, until the lead mounts them."""

from django.urls import include, path

from chengxin.urls import urlpatterns as project_urlpatterns

urlpatterns = [
    *project_urlpatterns,
    path("mediation/", include("chengxin.disputes.public_urls")),
]
