"""connect_store <slug> shopify --shop DOMAIN --token TOKEN, or woocommerce --url U --key K --secret S."""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from integrations import services
from integrations.models import Platform
from tenants.models import Store


class Command(BaseCommand):
    help = "Connect a store to its shop; the credentials are checked with the platform before they are saved."

    def add_arguments(self, parser):
        parser.add_argument("slug")
        parser.add_argument("platform", choices=Platform.values)
        parser.add_argument("--shop", help="Shopify: the shop's myshopify.com domain")
        parser.add_argument("--token", help="Shopify: the custom app's Admin API access token")
        parser.add_argument("--url", help="WooCommerce: the site's address")
        parser.add_argument("--key", help="WooCommerce: the REST API consumer key")
        parser.add_argument("--secret", help="WooCommerce: the REST API consumer secret")

    def handle(self, *args, slug, platform, shop, token, url, key, secret, **options):
        store = Store.objects.filter(slug=slug).first()
        if store is None:
            raise CommandError(f"There is no store {slug!r}.")
        if platform == Platform.WOOCOMMERCE and not (url and key and secret):
            raise CommandError("WooCommerce needs --url URL --key KEY --secret SECRET.")
        if platform == Platform.SHOPIFY and not (shop and token):
            raise CommandError("Shopify needs --shop DOMAIN and --token TOKEN.")
        try:
            if platform == Platform.WOOCOMMERCE:
                connection = services.connect_woocommerce(store, url=url, key=key, secret=secret)
            else:
                connection = services.connect_shopify(store, shop=shop, token=token)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from None
        self.stdout.write(
            f"Connected {store.slug} to {connection.shop_name or connection.shop} ({connection.shop}); "
            f"token {connection.credential_hint} stored encrypted. A full sync and the webhook subscriptions "
            "have been queued."
        )
