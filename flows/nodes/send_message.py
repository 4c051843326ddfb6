"""Send message: the bot says something (personalized text) and/or shows an image."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from flows.nodes.base import MAX_TEXT, NodeContext, NodeResult, Reply

LABEL = "Send message"
CATEGORY = "message"
ICON = "message"


def check_image_url(url: str) -> str:
    url = url.strip()
    if url and not url.lower().startswith(("http://", "https://")):
        raise ValueError("The image address must start with http:// or https://.")
    return url


class Config(BaseModel):
    model_config = ConfigDict(extra="forbid")

    text: str = Field(
        "",
        max_length=MAX_TEXT,
        title="Message",
        description='What the bot says. Personalize it: Hi {{ contact.name | default:"there" }}!',
    )
    image_url: str = Field("", max_length=2000, title="Image URL", description="An image to show (http or https).")

    @field_validator("image_url")
    @classmethod
    def _http_image(cls, url: str) -> str:
        return check_image_url(url)

    @model_validator(mode="after")
    def _says_something(self) -> Config:
        if not self.text.strip() and not self.image_url:
            raise ValueError("Write a message or add an image.")
        return self


def run(config: Config, ctx: NodeContext) -> NodeResult:
    text = ctx.render(config.text) if config.text else ""
    if not text.strip() and not config.image_url:
        return NodeResult()  # every variable in the text was empty: say nothing rather than an empty bubble
    return NodeResult(replies=[Reply.message(text, image_url=config.image_url)])
