from django.urls import path

from chengxin.publicity.api import views
from chengxin.publicity.urls import KindConverter  # noqa: F401  (registers <kind:…>)

app_name = "publicity_api"
urlpatterns = [path("records/<kind:kind>", views.submit_records, name="records")]
