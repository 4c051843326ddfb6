from django import forms


class ShopDomainField(forms.CharField):
    def __init__(self, **kwargs):
        kwargs.setdefault("label", "Shop domain")
        kwargs.setdefault("max_length", 255)
        kwargs.setdefault("help_text", "Your shop's myshopify.com address, like your-shop.myshopify.com.")
        super().__init__(**kwargs)


class ShopifyInstallForm(forms.Form):
    shop = ShopDomainField()


class ShopifyTokenForm(forms.Form):
    shop = ShopDomainField()
    token = forms.CharField(
        label="Admin API access token",
        max_length=255,
        widget=forms.PasswordInput(render_value=False),
        help_text="From your custom app in Shopify (Settings → Apps → Develop apps); it starts with shpat_.",
    )


class SyncForm(forms.Form):
    full = forms.BooleanField(required=False, label="Re-read everything (also removes what the shop deleted)")


class WooCommerceForm(forms.Form):
    url = forms.CharField(label="Site address", max_length=255, help_text="Like https://shop.example.com.")
    key = forms.CharField(label="Consumer key", max_length=255, help_text="ck_…, from WooCommerce → Settings → "
                          "Advanced → REST API (Read/Write, so Shopbot can create its webhooks).")  # fmt: skip
    secret = forms.CharField(label="Consumer secret", max_length=255, widget=forms.PasswordInput(render_value=False))


class EndpointForm(forms.Form):
    url = forms.CharField(label="Address", max_length=500, help_text="Where to post, like https://hooks.example.com/x.")
    events = forms.MultipleChoiceField(label="Events", widget=forms.CheckboxSelectMultiple, choices=[])

    def __init__(self, *args, **kwargs):
        from integrations.models import OutboundEvent

        super().__init__(*args, **kwargs)
        self.fields["events"].choices = OutboundEvent.choices


class PrivacyForm(forms.Form):
    email = forms.EmailField(label="Shopper's email")
    kind = forms.ChoiceField(label="Action", choices=[("data_request", "Export their data"),
                                                      ("redact_shopper", "Erase their data")])  # fmt: skip
