"""The catalog's words per store: what a shopper's typo is corrected against before the products are searched.

Matching a typo against 100,000 products by trigram similarity row by row takes a second; matching it against
the store's few thousand distinct words takes a millisecond, and then the products are found by an indexed
full-text match on the corrected words alone. ``CatalogWord`` holds the words with how many active products
contain each; on PostgreSQL triggers on the product table keep it exact (migration 0004_catalog_words), and
its GIN index ``catalogword_trgm`` answers ``word % term`` within one store. SQLite (the demo) has none of it:
its search tolerates typos through FTS5 prefixes.
"""

import re
from dataclasses import dataclass

from django.db import connection, transaction

from integrations.models import CatalogWord
from tenants.models import Store

MAX_CORRECTIONS = 3  # catalog words tried in place of one unknown shopper word
MARGIN = 0.1  # ... those within this similarity of the best one
MAX_TERM = 40  # no catalog word is longer (see the migration); a longer shopper word is matched as it is
_SAFE = re.compile(r"[^\W_]+")  # letters and digits only: never tsquery syntax

# For each shopper word (by its position), the catalog words most like it in this store, the ones with the same
# English stem first (then the word is known: "dresses" for "dress"), then by trigram similarity (pg_trgm's
# threshold, 0.3), then by how many products hold them; the store condition and ``%`` both use catalogword_trgm.
# Trigrams forgive a missing, extra or wrong letter but hardly two swapped ones ("shrit" shares 2 of 10 trigrams
# with "shirt"), so the second part looks the word's transpositions up exactly (the unique index).
_CANDIDATES = """
    SELECT q.n, c.word, c.same, c.sim
    FROM unnest(%s::text[]) WITH ORDINALITY AS q(term, n)
    CROSS JOIN LATERAL (
        SELECT w.word, similarity(w.word, q.term) AS sim, w.products,
               to_tsvector('english'::regconfig, w.word) @@ plainto_tsquery('english'::regconfig, q.term) AS same
        FROM integrations_catalogword w
        WHERE w.store_id = %s AND w.word %% q.term
        ORDER BY same DESC, sim DESC, w.products DESC, w.word
        LIMIT %s
    ) c
    UNION ALL
    SELECT s.n, w.word, false, %s
    FROM unnest(%s::int[], %s::text[]) AS s(n, spelling)
    JOIN integrations_catalogword w ON w.store_id = %s AND w.word = s.spelling
"""
SWAPPED = 2.0  # the similarity a transposition found is given: better than any trigram match
_REBUILD = """
    INSERT INTO integrations_catalogword (store_id, word, products)
    SELECT p.store_id, w.word, count(*)
    FROM integrations_product p CROSS JOIN LATERAL integrations_catalog_words(p.search_text, p.description) AS w(word)
    WHERE p.store_id = %s AND p.status = 'active'
    GROUP BY p.store_id, w.word
"""


@dataclass(frozen=True)
class Term:
    """One shopper word: ``known`` when the catalog holds it (or a word with its stem), else ``corrections``:
    the store's words it most likely meant (empty when none is close enough)."""

    word: str
    known: bool
    corrections: tuple[str, ...] = ()


def correct_words(store: Store, words: list[str]) -> list[Term]:
    """Each of ``words`` (lower-case, letters and digits) checked against the store's catalog words."""
    if not words:
        return []
    if connection.vendor != "postgresql":
        return [Term(word, known=True) for word in words]
    lookup = [word[:MAX_TERM] for word in words]
    swaps = [(n, swap) for n, word in enumerate(lookup, start=1) for swap in transpositions(word)]
    with connection.cursor() as cursor:
        cursor.execute(_CANDIDATES, [lookup, store.pk, MAX_CORRECTIONS + 2, SWAPPED,
                                     [n for n, _ in swaps], [swap for _, swap in swaps], store.pk])  # fmt: skip
        rows = cursor.fetchall()
    candidates: dict[int, list[tuple[str, bool, float]]] = {}
    for n, word, same, similarity in rows:
        candidates.setdefault(n - 1, []).append((word, same, similarity))
    terms = []
    for n, word in enumerate(words):
        found = candidates.get(n, [])
        if any(same for _, same, _ in found) or len(word) > MAX_TERM:
            terms.append(Term(word, known=True))
            continue
        found.sort(key=lambda candidate: -candidate[2])
        best = found[0][2] if found else 0.0
        close = [w for w, _, similarity in found if similarity >= best - MARGIN and _SAFE.fullmatch(w)]
        terms.append(Term(word, known=False, corrections=tuple(dict.fromkeys(close))[:MAX_CORRECTIONS]))
    return terms


def transpositions(word: str) -> list[str]:
    """``word`` with two neighbouring letters swapped, each way there is ("shrit": "hsrit", "srhit", "shirt", ...)."""
    return list(dict.fromkeys(
        word[:i] + word[i + 1] + word[i] + word[i + 2 :] for i in range(len(word) - 1) if word[i] != word[i + 1]
    ))  # fmt: skip


@transaction.atomic
def rebuild_catalog_words(store: Store) -> int:
    """Recount the store's catalog words from its products; returns how many words it has.

    The triggers keep the table exact, so this is for repair (or after changing what counts as a word). It
    locks the store's words for the length of the recount. Does nothing on SQLite.
    """
    if connection.vendor != "postgresql":
        return 0
    CatalogWord.objects.filter(store=store).delete()
    with connection.cursor() as cursor:
        cursor.execute(_REBUILD, [store.pk])
        return cursor.rowcount
