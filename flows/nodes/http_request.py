"""HTTP request: call an outside JSON API, save parts of the answer to chat variables.

The node returns an HttpCall effect (the conversation service performs it through the SSRF-safe client) and
is entered again with ``effect_result`` = ``{"ok", "status", "json", "error"}``. ``save`` maps a variable
name to a path looked up directly in the response's JSON body (``data.items.0.name``; ``0.id`` when the body
is a list). The URL, header values and string leaves of the body are templates. A URL that does not render
to an http(s) address is reported (``error``) and the node leaves by ``error``, as a failed call would.
"""

from __future__ import annotations

import json
import re
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from flows import templating
from flows.nodes.base import HttpCall, NodeContext, NodeResult
from flows.nodes.set_variable import NAME

LABEL = "HTTP request"
CATEGORY = "integration"
ICON = "globe"
HEADER_NAME = re.compile(r"[A-Za-z0-9-]{1,64}")
FORBIDDEN_HEADERS = ("host", "content-length", "transfer-encoding", "connection")
MAX_BODY = 10_000
CONTROL = re.compile(r"[\x00-\x1f\x7f\x85\u2028\u2029]")


def _http(url: str) -> bool:
    return url.lower().startswith(("http://", "https://"))


class Config(BaseModel):
    model_config = ConfigDict(extra="forbid")

    method: Literal["GET", "POST", "PUT", "PATCH", "DELETE"] = Field("GET", title="Method", description="HTTP verb.")
    url: str = Field(min_length=1, max_length=2000, title="URL", description="http(s) address; may use {{ }}.")
    headers: dict[str, str] = Field(
        default_factory=dict, max_length=20, title="Headers", description="Header name -> value (may use {{ }})."
    )
    body: dict[str, Any] | list[Any] | None = Field(
        None, title="JSON body", description="Sent as JSON; text inside may use {{ }}. Not for GET."
    )
    timeout: float = Field(10, ge=1, le=30, title="Timeout", description="Seconds to wait for the answer.")
    save: dict[str, str] = Field(
        default_factory=dict, max_length=20, title="Save from the answer",
        description="Variable name -> path in the JSON answer, e.g. order_status: data.status.",
    )  # fmt: skip
    save_status_to: str = Field("", max_length=50, title="Save status to", description="A variable for the status.")

    @field_validator("url")
    @classmethod
    def _http_url(cls, url: str) -> str:
        url = url.strip()
        if not url.startswith("{{") and not _http(url):
            raise ValueError("The URL must start with http:// or https://.")
        return url

    @field_validator("headers")
    @classmethod
    def _allowed_headers(cls, headers: dict[str, str]) -> dict[str, str]:
        for name, value in headers.items():
            if not HEADER_NAME.fullmatch(name) or name.lower() in FORBIDDEN_HEADERS:
                raise ValueError(f"The header {name!r} cannot be set here.")
            if len(value) > 1000:
                raise ValueError(f"The header {name!r} is longer than 1000 characters.")
        return headers

    @field_validator("save")
    @classmethod
    def _paths(cls, save: dict[str, str]) -> dict[str, str]:
        for name, path in save.items():
            if not NAME.fullmatch(name):
                raise ValueError(f"{name!r} is not a variable name (letters, digits and _, starting with a letter).")
            if not templating.valid_path(path):
                raise ValueError(f"{path!r} is not a path like data.items.0.name.")
        return save

    @model_validator(mode="after")
    def _consistent(self) -> Config:
        if self.save_status_to and not NAME.fullmatch(self.save_status_to):
            raise ValueError(f"{self.save_status_to!r} is not a variable name.")
        if self.body is not None and self.method == "GET":
            raise ValueError("A GET request has no body.")
        if self.body is not None and len(json.dumps(self.body)) > MAX_BODY:
            raise ValueError(f"The body is longer than {MAX_BODY} characters.")
        return self


def ports(config: Config) -> list[str]:
    return ["success", "error"]


def run(config: Config, ctx: NodeContext) -> NodeResult:
    if ctx.effect_result is None:
        return _call(config, ctx)
    outcome = ctx.effect_result
    result = NodeResult(next="success" if outcome.get("ok") is True else "error")
    if config.save_status_to:
        result.set_vars[config.save_status_to] = outcome.get("status")
    if result.next == "success":
        body = outcome.get("json")
        result.set_vars.update({name: templating.lookup(body, path) for name, path in config.save.items()})
    return result


def _call(config: Config, ctx: NodeContext) -> NodeResult:
    url = ctx.render(config.url).strip()
    if not _http(url):
        return NodeResult(error=f"the URL did not render to an http(s) address: {url[:100]!r}", next="error")
    headers = {name: _one_line(ctx.render(value)) for name, value in config.headers.items()}
    body = _render_json(config.body, ctx)
    call = HttpCall(method=config.method, url=url, headers=headers, body=body, timeout=float(config.timeout))
    return NodeResult(effect=call, next=None)


def _one_line(value: str) -> str:
    """No line breaks or control characters in a header: a value typed by the shopper must not add headers."""
    return CONTROL.sub(" ", value).strip()[:1000]


def _render_json(value: Any, ctx: NodeContext) -> Any:
    if isinstance(value, str):
        return ctx.render(value)
    if isinstance(value, dict):
        return {key: _render_json(item, ctx) for key, item in value.items()}
    if isinstance(value, list):
        return [_render_json(item, ctx) for item in value]
    return value
