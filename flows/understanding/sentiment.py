"""Sentiment of one shopper message: VADER, a lexicon model that ships its lexicon in its package."""

from functools import cache

from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

STRONGLY_NEGATIVE = -0.6  # compound score at or below which a message counts as strongly negative
MAX_CHARS = 1000


@cache
def _analyzer() -> SentimentIntensityAnalyzer:
    return SentimentIntensityAnalyzer()


def sentiment(text: str) -> dict:
    """``{"score": -1..1, "label": negative|neutral|positive, "strongly_negative": bool}``."""
    score = round(float(_analyzer().polarity_scores(text[:MAX_CHARS])["compound"]), 3) if text.strip() else 0.0
    label = "negative" if score <= -0.05 else "positive" if score >= 0.05 else "neutral"
    return {"score": score, "label": label, "strongly_negative": score <= STRONGLY_NEGATIVE}
