"""Account pages: sign up, log in and out, password reset, profile and sessions, stores, invitations."""

from django.contrib import messages
from django.contrib.auth import login, update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import PasswordChangeForm, PasswordResetForm
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_POST

from tenants import services, throttle
from tenants.forms import InvitedSignupForm, LoginForm, NewStoreForm, ProfileForm, SignupForm
from tenants.models import User, UserSession
from tenants.queries import get_store_by_public_key, stores_of

AUTH_BACKEND = "django.contrib.auth.backends.ModelBackend"


def add_form_errors(form, error: ValidationError) -> None:
    """Put a service's ValidationError on the form's fields (or the form as a whole)."""
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


def home(request):
    if not request.user.is_authenticated:
        return redirect("login")
    slug = request.session.get("store_slug")
    mine = stores_of(request.user)
    store = mine.filter(slug=slug).first() or mine.first()
    return redirect(store) if store else redirect("store_list")


def signup(request):
    if request.user.is_authenticated:
        return redirect("home")
    form = SignupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user, store = services.sign_up(
                email=data["email"], password=data["password"], name=data["name"],
                store_name=data["store_name"], store_slug=data["store_slug"],
            )  # fmt: skip
        except ValidationError as exc:
            add_form_errors(form, _on_form_fields(exc, {"slug": "store_slug", "name": "store_name"}))
        else:
            login(request, user, backend=AUTH_BACKEND)
            messages.success(request, f"Welcome! {store.name} is ready. Next: connect your shop and add the widget.")
            return redirect(store)
    return render(request, "tenants/signup.html", {"form": form})


def _on_form_fields(error: ValidationError, renames: dict[str, str] | None = None) -> ValidationError:
    """A service's errors keyed by the form's field names. Errors without a field come from
    ``validate_password``, so they belong on the password field."""
    if not hasattr(error, "error_dict"):
        return ValidationError({"password": error.messages})
    renames = renames or {}
    return ValidationError({renames.get(k, k): v for k, v in error.message_dict.items()})


class LoginView(auth_views.LoginView):
    form_class = LoginForm
    template_name = "tenants/login.html"
    redirect_authenticated_user = True


class ThrottledPasswordResetForm(PasswordResetForm):
    def clean_email(self):
        email = self.cleaned_data["email"]
        ip = throttle.client_ip(self.request)
        if throttle.hit("reset", ip, window=3600) > 10 or throttle.hit("reset-email", email, window=3600) > 3:
            raise ValidationError("Too many reset requests. Check your inbox, or try again in an hour.")
        return email


class PasswordResetView(auth_views.PasswordResetView):
    template_name = "tenants/password_reset.html"
    email_template_name = "tenants/email/password_reset.txt"
    subject_template_name = "tenants/email/password_reset_subject.txt"
    form_class = ThrottledPasswordResetForm

    def get_form(self, form_class=None):
        form = super().get_form(form_class)
        form.request = self.request
        return form


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "tenants/password_reset_confirm.html"

    def form_valid(self, form):
        response = super().form_valid(form)
        services.end_user_sessions(form.user)
        return response


@login_required
def account(request):
    profile = ProfileForm(initial={"name": request.user.name})
    password = PasswordChangeForm(request.user)
    if request.method == "POST" and request.POST.get("form") == "profile":
        profile = ProfileForm(request.POST)
        if profile.is_valid():
            request.user.name = profile.cleaned_data["name"].strip()
            request.user.save(update_fields=["name"])
            messages.success(request, "Your name is saved.")
            return redirect("account")
    elif request.method == "POST" and request.POST.get("form") == "password":
        password = PasswordChangeForm(request.user, request.POST)
        if password.is_valid():
            try:
                services.change_password(
                    request.user, new_password=password.cleaned_data["new_password1"],
                    current_session_key=request.session.session_key,
                )  # fmt: skip
            except ValidationError as exc:
                password.add_error("new_password1", exc)
            else:
                update_session_auth_hash(request, request.user)
                messages.success(request, "Password changed. Your other sessions have been signed out.")
                return redirect("account")
    sessions = UserSession.objects.filter(user=request.user)
    return render(
        request, "tenants/account.html",
        {"profile": profile, "password": password, "sessions": sessions, "current": request.session.session_key},
    )  # fmt: skip


@login_required
@require_POST
def account_sessions_end(request):
    ended = services.end_user_sessions(request.user, except_session_key=request.session.session_key)
    messages.success(request, f"Signed out of {ended} other session{'s' if ended != 1 else ''}.")
    return redirect("account")


@login_required
def store_list(request):
    return render(request, "tenants/store_list.html", {"stores": stores_of(request.user)})


@login_required
def store_create(request):
    form = NewStoreForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            store = services.create_store(request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_form_errors(form, exc)
        else:
            messages.success(request, f"{store.name} is ready.")
            return redirect(store)
    return render(request, "tenants/store_create.html", {"form": form})


def invitation_accept(request, token):
    """The emailed link: join with the account you are logged in with, or create one for the invited email."""
    invitation = services.find_invitation(token)
    if invitation is None:
        return render(request, "tenants/invitation_invalid.html", status=404)
    has_account = User.objects.filter(email__iexact=invitation.email).exists()
    form = InvitedSignupForm(request.POST or None)
    if request.method == "POST":
        try:
            if request.user.is_authenticated:
                services.accept_invitation(invitation, request.user)
            elif not has_account and form.is_valid():
                user = services.sign_up_invited(
                    invitation, name=form.cleaned_data["name"], password=form.cleaned_data["password"]
                )
                login(request, user, backend=AUTH_BACKEND)
        except PermissionDenied as exc:
            messages.error(request, str(exc))
        except ValidationError as exc:
            add_form_errors(form, _on_form_fields(exc))
        else:
            if request.user.is_authenticated:
                messages.success(request, f"You joined {invitation.store.name}.")
                return redirect(invitation.store)
    login_url = f"{reverse('login')}?next={request.path}"
    return render(
        request, "tenants/invitation_accept.html",
        {"invitation": invitation, "form": form, "has_account": has_account, "login_url": login_url},
    )  # fmt: skip


@cache_control(public=True, max_age=60 * 60 * 24 * 365, immutable=True)
def store_avatar(request, public_key, digest):
    store = get_store_by_public_key(public_key)
    if store is None or not store.avatar or store.avatar_digest != digest:
        raise Http404("No such avatar.")
    response = HttpResponse(bytes(store.avatar), content_type=store.avatar_content_type)
    response["Cross-Origin-Resource-Policy"] = "cross-origin"
    response["Content-Security-Policy"] = "default-src 'none'"
    return response
