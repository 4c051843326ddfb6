"""What shoppers ask that the bot cannot answer: fallback messages grouped by similarity.

Messages are normalized as the intent classifier does (case, accents, digits, repeated letters), counted,
and grouped greedily, most frequent first: a message joins the first group whose leading message it
resembles (rapidfuzz's token-set ratio at or above ``SIMILARITY``), else it starts a group. Groups are
listed by how many messages they hold; each offers its distinct phrasings as an FAQ entry's questions.
"""

from collections import Counter

from rapidfuzz import fuzz, process

from analytics.models import Event
from analytics.periods import Period
from flows.understanding.classifier import normalize
from tenants.models import Store

SIMILARITY = 75  # 0-100
MAX_MESSAGES = 5000  # the most recent fallbacks of the period are grouped
MAX_QUESTIONS = 10  # phrasings offered for one FAQ entry
STOPWORDS = {"a", "an", "the", "i", "you", "is", "are", "do", "does", "can", "to", "of", "my", "me", "it", "for",
             "and", "or", "please", "hi", "hello", "hey", "there", "what", "how", "your"}  # fmt: skip


def _content(normal: str) -> str:
    words = [w for w in normal.split() if w not in STOPWORDS]
    return " ".join(words) or normal


def unanswered(store: Store, period: Period, *, limit: int = 50) -> dict:
    rows = Event.objects.filter(
        store=store, name="fallback", created_at__gte=period.start, created_at__lt=period.end
    ).order_by("-id")[:MAX_MESSAGES]
    phrasing: dict[str, Counter] = {}  # normalized text -> the ways it was typed
    for text in rows.values_list("data__text", flat=True):
        if not isinstance(text, str) or not text.strip():
            continue
        key = normalize(text)
        if key:
            phrasing.setdefault(key, Counter())[text.strip()] += 1
    counts = Counter({key: sum(c.values()) for key, c in phrasing.items()})
    groups: list[dict] = []
    leaders: list[str] = []
    for key, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])):
        match = process.extractOne(_content(key), leaders, scorer=fuzz.token_set_ratio, score_cutoff=SIMILARITY)
        if match is None:
            leaders.append(_content(key))
            groups.append({"count": 0, "phrasings": Counter()})
            group = groups[-1]
        else:
            group = groups[match[2]]
        group["count"] += n
        group["phrasings"].update(phrasing[key])
    groups.sort(key=lambda g: -g["count"])
    out = [
        {"count": g["count"], "label": g["phrasings"].most_common(1)[0][0],
         "questions": [text for text, _ in g["phrasings"].most_common(MAX_QUESTIONS)],
         "examples": [{"text": text, "count": c} for text, c in g["phrasings"].most_common(5)]}
        for g in groups[:limit]
    ]  # fmt: skip
    total = sum(counts.values())
    return {
        "period": period.as_dict(), "messages": total, "groups": out,
        "notice": "" if total else "Every message in this period was understood (no fallbacks).",
    }  # fmt: skip
