from django.contrib.auth import views as auth_views
from django.urls import path

from tenants import store_views, views

account_urlpatterns = [
    path("", views.home, name="home"),
    path("signup/", views.signup, name="signup"),
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("password/reset/", views.PasswordResetView.as_view(), name="password_reset"),
    path(
        "password/reset/sent/",
        auth_views.PasswordResetDoneView.as_view(template_name="tenants/password_reset_done.html"),
        name="password_reset_done",
    ),
    path("password/reset/<uidb64>/<token>/", views.PasswordResetConfirmView.as_view(), name="password_reset_confirm"),
    path(
        "password/reset/complete/",
        auth_views.PasswordResetCompleteView.as_view(template_name="tenants/password_reset_complete.html"),
        name="password_reset_complete",
    ),
    path("account/", views.account, name="account"),
    path("account/sessions/end/", views.account_sessions_end, name="account_sessions_end"),
    path("stores/", views.store_list, name="store_list"),
    path("stores/new/", views.store_create, name="store_create"),
    path("invite/<str:token>/", views.invitation_accept, name="invitation_accept"),
    path("avatars/<str:public_key>/<str:digest>.png", views.store_avatar, name="store_avatar"),
]

store_urlpatterns = [
    path("", store_views.store_home, name="store_home"),
    path("settings/", store_views.store_settings, name="store_settings"),
    path("settings/public-key/", store_views.store_public_key_regenerate, name="store_public_key_regenerate"),
    path(
        "settings/identity-secret/",
        store_views.store_identity_secret_regenerate,
        name="store_identity_secret_regenerate",
    ),
    path("settings/delete/", store_views.store_delete, name="store_delete"),
    path("team/", store_views.team, name="team"),
    path("team/invite/", store_views.team_invite, name="team_invite"),
    path("team/leave/", store_views.store_leave, name="store_leave"),
    path("team/<int:member_id>/role/", store_views.team_member_role, name="team_member_role"),
    path("team/<int:member_id>/remove/", store_views.team_member_remove, name="team_member_remove"),
    path(
        "team/invitations/<int:invitation_id>/revoke/",
        store_views.team_invitation_revoke,
        name="team_invitation_revoke",
    ),
    path("api-keys/", store_views.api_keys, name="api_keys"),
    path("api-keys/new/", store_views.api_key_create, name="api_key_create"),
    path("api-keys/<int:api_key_id>/revoke/", store_views.api_key_revoke, name="api_key_revoke"),
]
