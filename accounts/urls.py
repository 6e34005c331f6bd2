from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse
from django.http.response import Http404
from django.urls import path, reverse_lazy

from accounts import directory_views, views

app_name = "accounts"


def _not_here(request: HttpRequest) -> HttpResponse:
    """allauth pages this site does not offer: addresses and passwords are the office's to set."""
    raise Http404


urlpatterns = [
    path("email/", _not_here),
    path("password/set/", _not_here),
    # allauth's linked-accounts page and social sign-up: single sign-on only signs existing
    # people in (accounts.sso), it is never linked or used to make an account.
    path("3rdparty/", _not_here),
    path("3rdparty/signup/", _not_here),
    path("login/", views.LoginView.as_view(), name="login"),
    path("sso/<slug:slug>/", views.sso_entry, name="sso_entry"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("profile/", views.profile, name="profile"),
    path("language/", views.language_switch, name="language"),
    path("users/", directory_views.people, name="people"),
    path("users/<int:pk>/deactivate/", directory_views.person_deactivate, name="person_deactivate"),
    path("users/<int:pk>/reactivate/", directory_views.person_reactivate, name="person_reactivate"),
    path(
        "users/<int:pk>/invite/", directory_views.person_invite_resend, name="person_invite_resend"
    ),
    path("departments/", directory_views.units, name="units"),
    path("departments/<int:pk>/", directory_views.unit_edit, name="unit_edit"),
    path(
        "departments/<int:pk>/deactivate/", directory_views.unit_deactivate, name="unit_deactivate"
    ),
    path(
        "departments/<int:pk>/reactivate/", directory_views.unit_reactivate, name="unit_reactivate"
    ),
    path("api-keys/", views.api_keys, name="api_keys"),
    path("api-keys/<int:pk>/revoke/", views.api_key_revoke, name="api_key_revoke"),
    path(
        "password/change/",
        auth_views.PasswordChangeView.as_view(
            template_name="accounts/password_change_form.html",
            success_url=reverse_lazy("accounts:password_change_done"),
        ),
        name="password_change",
    ),
    path(
        "password/change/done/",
        auth_views.PasswordChangeDoneView.as_view(
            template_name="accounts/password_change_done.html"
        ),
        name="password_change_done",
    ),
    path("password/reset/", views.PasswordResetView.as_view(), name="password_reset"),
    path(
        "password/reset/done/",
        auth_views.PasswordResetDoneView.as_view(template_name="accounts/password_reset_done.html"),
        name="password_reset_done",
    ),
    path(
        "reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(
            template_name="accounts/password_reset_confirm.html",
            success_url=reverse_lazy("accounts:password_reset_complete"),
        ),
        name="password_reset_confirm",
    ),
    path(
        "reset/done/",
        auth_views.PasswordResetCompleteView.as_view(
            template_name="accounts/password_reset_complete.html"
        ),
        name="password_reset_complete",
    ),
]
