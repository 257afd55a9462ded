"""Staff pages of disputes and legal capacity (mounted under /staff/disputes/)."""

from django.urls import URLPattern, path

from chengxin.disputes import views

app_name = "disputes"
urlpatterns: list[URLPattern] = [
    path("", views.dashboard, name="dashboard"),
    path("reconsiderations/<int:pk>/decide/", views.reconsideration_decide, name="decide"),
    path("reconsiderations/<int:pk>/extend/", views.reconsideration_extend, name="extend"),
    path("litigations/<int:pk>/hearings/", views.hearing_add, name="hearing_add"),
    path("hearings/<int:pk>/appearance/", views.hearing_appearance, name="appearance"),
    path("mediation-cases/<int:pk>/close/", views.mediation_close, name="close_mediation"),
    path("<slug:register>/", views.register_list, name="list"),
    path("<slug:register>/export.xlsx", views.register_export, name="export"),
    path("<slug:register>/add/", views.register_edit, name="add"),
    path("<slug:register>/<int:pk>/", views.register_detail, name="detail"),
    path("<slug:register>/<int:pk>/edit/", views.register_edit, name="edit"),
]
