from flows.nodes import send_message
from tests.flows.nodes.helpers import invalid, run, shopper_data, texts


def test_it_says_the_personalized_text():
    result = run(send_message, {"text": 'Hi {{ contact.name | default:"there" }}!'})
    assert texts(result) == ["Hi Ann!"]
    assert result.next == "default"
    assert not result.wait_for_input


def test_it_falls_back_to_the_default_for_an_unknown_shopper():
    result = run(send_message, {"text": 'Hi {{ contact.name | default:"there" }}!'}, data={"contact": {}})
    assert texts(result) == ["Hi there!"]


def test_it_shows_an_image_with_or_without_text():
    result = run(send_message, {"image_url": "https://cdn.example/sale.png"})
    assert result.replies[0].image_url == "https://cdn.example/sale.png"
    assert result.replies[0].text == ""


def test_it_says_nothing_when_the_text_renders_empty():
    result = run(send_message, {"text": "{{ vars.missing }}"}, data=shopper_data())
    assert result.replies == []
    assert result.next == "default"


def test_it_never_renders_shopper_text_as_anything_but_text():
    data = shopper_data(contact={"name": "<script>alert(1)</script>"})
    assert texts(run(send_message, {"text": "Hi {{ contact.name }}"}, data=data)) == ["Hi <script>alert(1)</script>"]


def test_it_refuses_a_node_that_says_nothing():
    assert "Write a message or add an image" in invalid(send_message, {})
    assert "Write a message or add an image" in invalid(send_message, {"text": "   "})


def test_it_refuses_an_image_that_is_not_http():
    assert invalid(send_message, {"image_url": "javascript:alert(1)"}).startswith("image_url:")
    assert invalid(send_message, {"image_url": "file:///etc/passwd"}).startswith("image_url:")


def test_it_refuses_unknown_settings_and_overlong_text():
    assert invalid(send_message, {"text": "hi", "colour": "red"}).startswith("colour:")
    assert invalid(send_message, {"text": "x" * 4001}).startswith("text:")
