from django.urls import path

from chengxin.portal import api, views

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("search/", views.search, name="search"),
    path("open/", views.open_government, name="open"),
    path("subjects/<str:key>/", views.subject, name="subject"),
    path("api/v1/public/subjects", api.subjects, name="api-subjects"),
    path("api/v1/public/subjects/<str:key>", api.subject, name="api-subject"),
    path("api/v1/public/openapi.json", api.openapi, name="api-openapi"),
]
