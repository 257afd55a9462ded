"""Staff pages for list types, list entries and the measures catalogue (the entries' upload is
the registers' page, `imports.views_registers`)."""

from django.urls import URLPattern, path

from chengxin.screening import views_lists as views

urlpatterns: list[URLPattern] = [
    path("lists/types/", views.list_type_list, name="list_types"),
    path("lists/", views.entry_list, name="entries"),
    path("lists/new/", views.entry_edit, name="entry_new"),
    path("lists/<int:pk>/", views.entry_detail, name="entry"),
    path("lists/<int:pk>/edit/", views.entry_edit, name="entry_edit"),
    path("lists/<int:pk>/remove/", views.entry_remove, name="entry_remove"),
    path("measures/", views.measure_list, name="measures"),
    path("measures/new/", views.measure_edit, name="measure_new"),
    path("measures/<int:pk>/edit/", views.measure_edit, name="measure_edit"),
]
