"""Kinds about what the shopper does on the page: open the chat, stay, scroll, leave, or a page's own event."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from flows.triggers.base import KindConfig, OnSignal, Signal, TriggerKind, number


class WidgetOpened(TriggerKind):
    LABEL = "Chat opened"
    EVENTS = frozenset({"widget_opened"})

    class Config(KindConfig):
        audience: Literal["any", "first_visit", "returning", "logged_in"] = Field(
            "any", description="Who: anyone, first-time visitors, returning visitors, or logged-in customers."
        )

    @staticmethod
    def matches(config: Config, signal: Signal) -> bool:
        return config.audience == "any" or bool(signal.visit.get(config.audience))


class TimeOnPage(TriggerKind):
    LABEL = "Time on page"
    EVENTS = frozenset({"time_on_page"})

    class Config(KindConfig):
        seconds: int = Field(ge=5, le=3600, description="Seconds on the page, 5 to 3600.")

    @staticmethod
    def matches(config: Config, signal: Signal) -> bool:
        seconds = number(signal.data.get("seconds"))
        return seconds is not None and seconds >= config.seconds


class Scroll(TriggerKind):
    LABEL = "Scrolled down"
    EVENTS = frozenset({"scroll"})

    class Config(KindConfig):
        percent: int = Field(ge=1, le=100, description="How far down the page, in percent.")

    @staticmethod
    def matches(config: Config, signal: Signal) -> bool:
        percent = number(signal.data.get("percent"))
        return percent is not None and percent >= config.percent


class ExitIntent(OnSignal):
    LABEL = "About to leave"
    EVENTS = frozenset({"exit_intent"})


class CustomEvent(TriggerKind):
    LABEL = "Page event"
    EVENTS = frozenset({"custom"})

    class Config(KindConfig):
        event: str = Field(min_length=1, max_length=64, description="The name the page passes to Shopbot.track().")

    @staticmethod
    def matches(config: Config, signal: Signal) -> bool:
        return str(signal.data.get("event") or "") == config.event
