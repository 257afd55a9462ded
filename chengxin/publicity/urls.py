from django.urls import path, register_converter

from chengxin.publicity import views


class KindConverter:
    regex = "licenses|penalties"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(KindConverter, "kind")

app_name = "publicity"
urlpatterns = [
    path("<kind:kind>/", views.record_list, name="list"),
    path("<kind:kind>/new/", views.record_edit, name="new"),
    path("<kind:kind>/<int:pk>/", views.record_detail, name="detail"),
    path("<kind:kind>/<int:pk>/edit/", views.record_edit, name="edit"),
    path("<kind:kind>/<int:pk>/<str:action>/", views.record_action, name="action"),
]
