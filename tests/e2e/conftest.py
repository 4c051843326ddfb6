import pytest


@pytest.fixture(autouse=True)
def _database_beside_playwright(monkeypatch):
    """Playwright's sync API runs an event loop in the test's thread; Django then refuses database calls from
    it unless told this thread is safe (it is: the loop only drives the browser)."""
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
