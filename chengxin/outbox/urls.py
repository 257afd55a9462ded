"""Staff pages of the synchronisation outbox: messages, dead letters and retry."""

from django.urls import URLPattern, path

from chengxin.outbox import views

app_name = "outbox"
urlpatterns: list[URLPattern] = [
    path("", views.message_list, name="list"),
    path("dead/", views.dead_letters, name="dead"),
    path("<int:pk>/", views.message_detail, name="detail"),
    path("<int:pk>/retry/", views.retry, name="retry"),
]
