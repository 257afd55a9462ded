"""Staff pages of powers (mounted under /staff/powers/)."""

from django.urls import URLPattern, path

from chengxin.powers import views_staff

app_name = "powers"
urlpatterns: list[URLPattern] = [
    path("", views_staff.power_list, name="list"),
    path("export.<slug:fmt>", views_staff.power_export, name="export"),
    path("items/new/", views_staff.item_add, name="item_add"),
    path("items/<int:pk>/", views_staff.item_detail, name="item"),
    path("items/<int:pk>/<slug:kind>/", views_staff.item_adjust, name="item_adjust"),
    path("adjustments/", views_staff.adjustment_list, name="adjustments"),
    path("categories/", views_staff.category_list, name="categories"),
    path("categories/<int:pk>/", views_staff.category_list, name="category"),
]
