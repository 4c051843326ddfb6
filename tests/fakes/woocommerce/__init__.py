from tests.fakes.woocommerce.server import FakeSite, FakeWooCommerce

__all__ = ["FakeSite", "FakeWooCommerce"]
