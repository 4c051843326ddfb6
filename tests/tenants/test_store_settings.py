import io
from datetime import timedelta

from django.contrib.sessions.models import Session
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from tenants import services
from tenants.models import Invitation, Store, UserSession
from tenants.origins import origin_allowed
from tenants.tasks import purge_expired


def _form(store, **changes):
    data = {
        "name": store.name, "slug": store.slug, "bot_name": store.bot_name, "brand_color": store.brand_color,
        "currency": store.currency, "timezone": store.timezone, "locale": store.locale, "allowed_origins": "",
        "loyal_after_orders": store.loyal_after_orders, "high_value_spend": store.high_value_spend,
        "discount_max_percent": store.discount_max_percent,
        "proactive_quiet_minutes": store.proactive_quiet_minutes,
        "proactive_cooldown_minutes": store.proactive_cooldown_minutes,
        "attribution_window_days": store.attribution_window_days,
    }  # fmt: skip
    data.update(changes)
    return data


def _png(width=600, height=400, colour=(200, 30, 30)):
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), colour).save(buffer, format="PNG")
    return SimpleUploadedFile("avatar.png", buffer.getvalue(), content_type="image/png")


def test_the_owner_changes_branding_and_origins_in_the_dashboard(alice_client, alice_store):
    response = alice_client.post(
        reverse("store_settings", args=["alice"]),
        _form(alice_store, bot_name="Ava", brand_color="#112233", allowed_origins="https://shop.alice.example\nalice.example"),
    )
    assert response.status_code == 302
    store = Store.objects.get(pk=alice_store.pk)
    assert store.bot_name == "Ava" and store.brand_color == "#112233"
    assert store.allowed_origins == ["https://shop.alice.example", "https://alice.example"]


def test_bad_settings_show_form_errors_and_change_nothing(alice_client, alice_store):
    response = alice_client.post(
        reverse("store_settings", args=["alice"]),
        _form(alice_store, bot_name="Ava", allowed_origins="javascript:alert(1)", currency="XXX"),
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "allowed_origins" in errors and "currency" in errors
    assert Store.objects.get(pk=alice_store.pk).bot_name == "Assistant"


def test_segment_thresholds_and_proactive_windows_are_edited_on_the_settings_page(alice_client, alice_store):
    page = alice_client.get(reverse("store_settings", args=["alice"]))
    for label in (b"Loyal customer from this many orders", b"High-value customer from this much spent",
                  b"At most one proactive message per shopper in this many minutes"):  # fmt: skip
        assert label in page.content
    changes = {"loyal_after_orders": 5, "high_value_spend": "250.00", "proactive_quiet_minutes": 2,
               "proactive_cooldown_minutes": 30}  # fmt: skip
    assert alice_client.post(reverse("store_settings", args=["alice"]), _form(alice_store, **changes)).status_code == 302
    store = Store.objects.get(pk=alice_store.pk)
    assert (store.loyal_after_orders, str(store.high_value_spend)) == (5, "250.00")
    assert (store.proactive_quiet_minutes, store.proactive_cooldown_minutes) == (2, 30)
    refused = alice_client.post(reverse("store_settings", args=["alice"]), _form(store, proactive_cooldown_minutes=0))
    assert "proactive_cooldown_minutes" in refused.context["form"].errors
    assert Store.objects.get(pk=alice_store.pk).proactive_cooldown_minutes == 30


def test_renaming_the_address_to_a_taken_one_is_a_form_error(alice_client, alice_store, bob_store):
    response = alice_client.post(reverse("store_settings", args=["alice"]), _form(alice_store, slug="bob"))
    assert response.status_code == 200
    assert "That store address is taken" in response.content.decode()


def test_an_avatar_is_cropped_square_reencoded_and_served_publicly(alice_client, alice_store):
    alice_client.post(reverse("store_settings", args=["alice"]), {**_form(alice_store), "avatar": _png()})
    store = Store.objects.get(pk=alice_store.pk)
    assert store.avatar_url
    response = Client().get(store.avatar_url)
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    image = Image.open(io.BytesIO(response.content))
    assert image.size == (256, 256)


def test_a_file_that_is_not_an_image_is_refused(alice_client, alice_store):
    fake = SimpleUploadedFile("avatar.png", b"<svg onload=alert(1)>", content_type="image/png")
    response = alice_client.post(reverse("store_settings", args=["alice"]), {**_form(alice_store), "avatar": fake})
    assert response.status_code == 200 and "avatar" in response.context["form"].errors
    assert not Store.objects.get(pk=alice_store.pk).avatar


def test_the_identity_secret_page_shows_the_new_secret_once(alice_client, alice_store):
    response = alice_client.post(reverse("store_identity_secret_regenerate", args=["alice"]))
    secret = Store.objects.get(pk=alice_store.pk).identity_secret
    assert secret in response.content.decode()
    assert secret not in alice_client.get(reverse("store_settings", args=["alice"])).content.decode()


def test_the_owner_deletes_the_store_after_typing_its_address(alice_client, alice_store):
    response = alice_client.post(reverse("store_delete", args=["alice"]), {"confirm": "wrong"})
    assert response.status_code == 200 and Store.objects.filter(pk=alice_store.pk).exists()
    response = alice_client.post(reverse("store_delete", args=["alice"]), {"confirm": "alice"})
    assert response.status_code == 302 and not Store.objects.filter(pk=alice_store.pk).exists()


def test_origins_match_exactly_or_by_wildcard_subdomain():
    allowed = ["https://shop.example.com", "https://*.example.org"]
    assert origin_allowed("https://shop.example.com", allowed)
    assert origin_allowed("https://a.b.example.org", allowed)
    assert not origin_allowed("http://shop.example.com", allowed)
    assert not origin_allowed("https://example.org", allowed)
    assert not origin_allowed("https://evilexample.org", allowed)
    assert not origin_allowed("null", allowed)


def test_housekeeping_purges_expired_invitations_and_sessions(alice_store, alice):
    invitation, _ = services.invite_member(alice_store, email="late@example.com", role="agent", invited_by=alice)
    Invitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now() - timedelta(minutes=1))
    client = Client()
    client.force_login(alice)
    Session.objects.update(expire_date=timezone.now() - timedelta(minutes=1))
    assert UserSession.objects.count() == 1
    result = purge_expired.delay().get()
    assert result["invitations"] == 1 and result["sessions"] == 1
    assert not Invitation.objects.exists() and not UserSession.objects.exists()


def test_the_owner_lets_flows_create_discount_codes_up_to_a_ceiling(alice_client, alice_store):
    url = reverse("store_settings", args=["alice"])
    refused = alice_client.post(url, _form(alice_store, discount_codes_enabled="on", discount_max_percent=150))
    assert refused.status_code == 200 and "discount_max_percent" in refused.context["form"].errors
    alice_client.post(url, _form(alice_store, discount_codes_enabled="on", discount_max_percent=20))
    store = Store.objects.get(pk=alice_store.pk)
    assert (store.discount_codes_enabled, store.discount_max_percent) == (True, 20)
