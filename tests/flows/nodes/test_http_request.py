import pytest

from flows.nodes import http_request
from flows.nodes.base import HttpCall
from tests.flows.nodes.helpers import invalid, run, shopper_data

DATA = shopper_data(vars={"order": 1001, "token": "abc\r\nX-Evil: 1"}, store={"api": "https://api.shop.example"})
LOOKUP = {
    "method": "POST",
    "url": "https://api.shop.example/orders/{{ vars.order }}/status",
    "headers": {"Authorization": "Bearer {{ vars.token }}", "X-Shop": "alice"},
    "body": {"order": "{{ vars.order }}", "who": {"name": "{{ contact.name }}"}, "tags": ["{{ contact.name }}", 3, True]},
    "timeout": 5,
    "save": {"status": "data.status", "first_item": "data.items.0.title"},
    "save_status_to": "http_status",
}


def test_it_asks_the_service_to_make_the_call_with_everything_rendered():
    result = run(http_request, LOOKUP, data=DATA)
    assert result.effect == HttpCall(
        method="POST",
        url="https://api.shop.example/orders/1001/status",
        headers={"Authorization": "Bearer abc  X-Evil: 1", "X-Shop": "alice"},
        body={"order": "1001", "who": {"name": "Ann"}, "tags": ["Ann", 3, True]},
        timeout=5.0,
    )
    assert result.next is None
    assert result.replies == []


def test_a_header_value_cannot_smuggle_in_another_header():
    headers = run(http_request, LOOKUP, data=DATA).effect.headers
    assert all("\r" not in value and "\n" not in value for value in headers.values())


def test_it_saves_values_from_a_successful_answer_and_leaves_by_success():
    outcome = {"ok": True, "status": 200, "json": {"data": {"status": "shipped", "items": [{"title": "Jacket"}]}}, "error": ""}
    result = run(http_request, LOOKUP, data=DATA, effect_result=outcome)
    assert result.next == "success"
    assert result.set_vars == {"status": "shipped", "first_item": "Jacket", "http_status": 200}


def test_paths_missing_from_the_answer_save_nothing_useful_but_do_not_fail():
    outcome = {"ok": True, "status": 200, "json": ["not", "a", "dict"], "error": ""}
    result = run(http_request, LOOKUP, data=DATA, effect_result=outcome)
    assert result.next == "success"
    assert result.set_vars == {"status": None, "first_item": None, "http_status": 200}


def test_a_list_answer_is_read_by_index():
    config = {"url": "https://api.example/items", "save": {"first": "0.name"}}
    outcome = {"ok": True, "status": 200, "json": [{"name": "Boots"}], "error": ""}
    assert run(http_request, config, effect_result=outcome).set_vars == {"first": "Boots"}


@pytest.mark.parametrize(
    "outcome",
    [{"ok": False, "status": 500, "json": None, "error": "HTTP 500"},
     {"ok": False, "status": None, "json": None, "error": "refused: private address"}],
)  # fmt: skip
def test_a_failed_call_leaves_by_error_and_keeps_the_status_when_asked(outcome):
    result = run(http_request, LOOKUP, data=DATA, effect_result=outcome)
    assert result.next == "error"
    assert result.set_vars == {"http_status": outcome["status"]}


def test_a_url_that_does_not_render_to_http_is_reported_and_leaves_by_error():
    config = {"url": "{{ vars.endpoint }}"}
    result = run(http_request, config, data=shopper_data(vars={"endpoint": "file:///etc/passwd"}))
    assert result.effect is None
    assert result.next == "error"
    assert "http" in result.error


def test_a_templated_base_url_is_allowed_when_it_renders_to_http():
    result = run(http_request, {"url": "{{ store.api }}/ping"}, data=DATA)
    assert result.effect.url == "https://api.shop.example/ping"
    assert result.effect.method == "GET"
    assert result.effect.timeout == 10.0


def test_its_exits_are_success_and_error():
    assert http_request.ports(http_request.Config.model_validate(LOOKUP)) == ["success", "error"]


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"url": "ftp://files.example/x"}, "url"),
        ({"url": "gopher://x"}, "url"),
        ({"method": "TRACE"}, "method"),
        ({"headers": {"Host": "internal"}}, "headers"),
        ({"headers": {"content-length": "1"}}, "headers"),
        ({"headers": {"Bad Header": "1"}}, "headers"),
        ({"timeout": 0.5}, "timeout"),
        ({"timeout": 31}, "timeout"),
        ({"save": {"status": "data.__class__"}}, "save"),
        ({"save": {"1st": "data.status"}}, "save"),
        ({"body": "plain text"}, "body"),
    ],
)
def test_it_refuses_settings_that_cannot_work(change, field):
    assert invalid(http_request, {**LOOKUP, **change}).startswith(field)


def test_it_refuses_a_body_on_a_get_and_a_bad_status_variable():
    assert "A GET request has no body" in invalid(http_request, {**LOOKUP, "method": "GET"})
    assert "not a variable name" in invalid(http_request, {**LOOKUP, "save_status_to": "vars.status"})
    assert "longer than" in invalid(http_request, {**LOOKUP, "body": {"x": "y" * 10_001}})
