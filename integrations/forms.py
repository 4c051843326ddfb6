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
