import pytest
from channels.testing import HttpCommunicator, WebsocketCommunicator

from botplatform.asgi import application


@pytest.mark.django_db(transaction=True)
async def test_http_is_served_through_the_asgi_application():
    communicator = HttpCommunicator(application, "GET", "/healthz", headers=[(b"host", b"localhost")])
    response = await communicator.get_response()
    assert response["status"] == 200
    assert b'"status": "ok"' in response["body"]


async def test_an_unknown_websocket_path_is_refused():
    communicator = WebsocketCommunicator(application, "/ws/nowhere/")
    with pytest.raises(ValueError, match="No route found"):
        await communicator.connect()
