from django.conf import settings
from django.contrib.auth import views as auth_views
from django.urls import path

from chengxin.accounts.forms import LoginForm

app_name = "accounts"
urlpatterns = [
    path(
        "login/",
        auth_views.LoginView.as_view(
            template_name="accounts/login.html",
            authentication_form=LoginForm,
            redirect_authenticated_user=True,
            # LoginView puts the request's host in `site_name`; the header shows the platform's name.
            extra_context={"site_name": settings.SITE_NAME},
        ),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
]
