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
    path("proposals/", views_staff.proposal_list, name="proposals"),
    path("proposals/<int:pk>/", views_staff.proposal_detail, name="proposal"),
    path("proposals/<int:pk>/review/", views_staff.proposal_review, name="proposal_review"),
    path("proposals/<int:pk>/approve/", views_staff.proposal_approve, name="proposal_approve"),
    path("proposals/<int:pk>/withdraw/", views_staff.proposal_withdraw, name="proposal_withdraw"),
    path("proposals/<int:pk>/revise/", views_staff.proposal_revise, name="proposal_revise"),
    path("adjustments/", views_staff.adjustment_list, name="adjustments"),
    path("categories/", views_staff.category_list, name="categories"),
    path("categories/<int:pk>/", views_staff.category_list, name="category"),
]
