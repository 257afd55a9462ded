"""Staff pages of the exchange: the rejected records' queue."""

from django.urls import URLPattern, path

from chengxin.exchange import views

app_name = "exchange"
urlpatterns: list[URLPattern] = [
    path("rejections/", views.rejections, name="rejections"),
]
