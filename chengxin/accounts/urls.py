from django.contrib.auth import views as auth_views
from django.urls import path
from django.utils.functional import lazy

from chengxin.accounts import views
from chengxin.accounts.forms import LoginForm
from chengxin.core import regions

app_name = "accounts"
urlpatterns = [
    path(
        "login/",
        views.StaffLoginView.as_view(
            template_name="accounts/login.html",
            authentication_form=LoginForm,
            redirect_authenticated_user=True,
            # LoginView puts the request's host in `site_name`; the header shows the platform's name.
            extra_context={"site_name": lazy(regions.site_name, str)()},
        ),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("account/", views.account, name="account"),
    path("password/", views.PasswordChangeView.as_view(), name="password_change"),
    path("tokens/", views.tokens, name="tokens"),
    path("tokens/<int:pk>/revoke/", views.token_revoke, name="token_revoke"),
    path("security/settings/", views.security_settings, name="security_settings"),
    path("security/settings/<str:key>/", views.security_setting, name="security_setting"),
    path(
        "security/changes/<int:pk>/approve/",
        views.setting_change_decide,
        {"decision": "approve"},
        name="setting_change_approve",
    ),
    path(
        "security/changes/<int:pk>/refuse/",
        views.setting_change_decide,
        {"decision": "refuse"},
        name="setting_change_refuse",
    ),
    path("security/lockouts/", views.lockouts, name="lockouts"),
    path("security/lockouts/unlock/", views.unlock, name="unlock"),
]
