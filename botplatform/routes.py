"""Routes that are not scoped to a store, each with the reason. Every other route takes ``<store_slug>``.

``tests/test_route_tenancy.py`` walks every URL pattern: a route listed here is checked against its kind;
any other route must take a store and is proven to answer 404 to another store's members and 403 to
agents where it needs more.
"""

# Reachable without logging in.
PUBLIC_ROUTES: dict[str, str] = {
    "healthz": "load balancers and uptime checks probe it; it reveals only up/down",
    "home": "redirects to log-in or to the user's store; shows nothing itself",
    "signup": "creating an account needs no account",
    "login": "logging in needs no account",
    "logout": "ends the caller's own session",
    "password_reset": "a forgotten password needs no session; it answers the same for any email",
    "password_reset_done": "a static confirmation page",
    "password_reset_confirm": "the emailed token is the credential",
    "password_reset_complete": "a static confirmation page",
    "invitation_accept": "the emailed invitation token is the credential",
    "store_avatar": "the bot's avatar is shown to every shopper on the store's site",
    "shopify_callback": "Shopify sends the installing owner here; it acts only with Shopify's HMAC, the state nonce "
    "in that browser's session and the user's admin role in the store the install was started for",
    "widget_script": "the widget itself, loaded by every shop page that embeds it",
    "demo_storefront": "a demo shop for visitors to try the widget; demo stores only (404 otherwise)",
    "demo_product": "a demo shop's product page; demo stores only",
    "demo_cart": "a demo shop's cart (in the visitor's session); demo stores only",
    "demo_cart_add": "the demo shop's add-to-cart, called by the widget; demo stores only",
    "demo_browse_as": "browse the demo shop as one of its demo customers; demo stores only",
    "shopify_webhook": "Shopify posts webhooks here; only a body signed with the app's secret is kept, and the "
    "store is the one connected to the signed shop domain",
    "woocommerce_webhook": "a WooCommerce site posts webhooks here; only a body signed with that connection's "
    "webhook secret is kept (and the unsigned creation ping is answered without storing anything)",
    "api:schema": "describes the API; contains no data",
    "api:docs": "renders the schema for people; contains no data",
}

# Need a logged-in user, but are about that user's own account and take neither a store nor an id.
ACCOUNT_ROUTES: dict[str, str] = {
    "account": "the user's own profile, password and sessions",
    "account_sessions_end": "ends the user's own other sessions",
    "store_list": "lists the stores the user is a member of (the store switcher)",
    "store_create": "creates a new store owned by the user",
    "api:me": "the user's own profile and stores",
    "api:stores": "lists or creates the user's own stores",
}
