from django.urls import path

from chengxin.portal import views

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("search/", views.search, name="search"),
    path("open/", views.open_government, name="open"),
    path("subjects/<str:key>/", views.subject, name="subject"),
]
