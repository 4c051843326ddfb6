"""Who a widget connection belongs to: a signed visitor token, and a customer claim signed by the store.

The visitor token is ours (signed with SECRET_KEY, bound to one store): a browser cannot pick or guess
another visitor's. The customer claim is the store's: the lowercase hex HMAC-SHA256 of the customer's
platform id (as a decimal string) keyed with the store's identity secret, computed by the store's own
server when it renders the page. Neither the email nor the name in a claim is trusted on its own.
"""

import hashlib
import hmac
import re
from dataclasses import dataclass
from typing import Any

from django.core import signing

from conversations.models import Contact
from tenants.models import Store

VISITOR_SALT = "shopbot.widget.visitor"
VISITOR_MAX_AGE = 60 * 60 * 24 * 400  # a visitor is remembered for about a year after their last visit
CUSTOMER_ID = re.compile(r"^[0-9]{1,20}$")


class IdentityInvalid(Exception):
    """A customer claim whose signature does not match (or that the store requires and lacks)."""


@dataclass(frozen=True)
class CustomerClaim:
    customer_id: str
    email: str = ""
    name: str = ""


def visitor_token(contact: Contact) -> str:
    return signing.dumps({"s": contact.store_id, "v": contact.visitor_id}, salt=VISITOR_SALT, compress=False)


def visitor_id_from_token(store: Store, token: Any) -> str | None:
    """The visitor id inside a token we issued for this store; None for a forged, expired or foreign one."""
    if not isinstance(token, str) or not token or len(token) > 300:
        return None
    try:
        data = signing.loads(token, salt=VISITOR_SALT, max_age=VISITOR_MAX_AGE)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict) or data.get("s") != store.pk or not isinstance(data.get("v"), str):
        return None
    return data["v"]


def customer_signature(store: Store, customer_id: str) -> str:
    return hmac.new(store.identity_secret.encode(), str(customer_id).encode(), hashlib.sha256).hexdigest()


def verify_customer_claim(store: Store, claim: Any) -> CustomerClaim | None:
    """A verified customer, or None for no claim (or an unsigned one the store does not require).

    Raises ``IdentityInvalid`` for a wrong signature, and for a missing one when the store requires it.
    """
    if claim in (None, {}):
        return None
    if not isinstance(claim, dict):
        raise IdentityInvalid("The customer must be an object with id and signature.")
    customer_id, signature = str(claim.get("id", "")).strip(), claim.get("signature")
    if not CUSTOMER_ID.match(customer_id):
        raise IdentityInvalid("The customer id must be the platform's numeric id.")
    if not signature:
        if store.require_identity:
            raise IdentityInvalid("This store only accepts signed customer logins.")
        return None
    expected = customer_signature(store, customer_id)
    if not isinstance(signature, str) or not hmac.compare_digest(expected, signature.strip().lower()):
        raise IdentityInvalid("The customer signature does not match.")
    email = claim.get("email") if isinstance(claim.get("email"), str) else ""
    name = claim.get("name") if isinstance(claim.get("name"), str) else ""
    return CustomerClaim(customer_id=customer_id, email=email.strip()[:254], name=name.strip()[:150])
