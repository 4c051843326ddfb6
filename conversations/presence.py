"""Whether any agent of a store is online now, kept in the cache (Redis) with a short time-to-live.

The agent inbox reports each open agent socket with ``mark_agent_online`` on connect and on a heartbeat,
and ``mark_agent_offline`` when it closes. One cache entry per store maps agent ids to when they expire,
so a bot turn answers "is anyone there?" with a single cache read. Two heartbeats racing can drop one
agent until their next heartbeat; that costs at most one heartbeat interval.
"""

import time

from django.core.cache import cache

ONLINE_TTL = 90  # seconds an agent counts as online after their last heartbeat


def _key(store_id: int) -> str:
    return f"presence:store:{store_id}:agents"


def _live(store_id: int) -> dict[str, float]:
    now = time.time()
    return {user: until for user, until in (cache.get(_key(store_id)) or {}).items() if until > now}


def mark_agent_online(store_id: int, user_id: int) -> None:
    agents = _live(store_id)
    agents[str(user_id)] = time.time() + ONLINE_TTL
    cache.set(_key(store_id), agents, ONLINE_TTL)


def mark_agent_offline(store_id: int, user_id: int) -> None:
    agents = _live(store_id)
    agents.pop(str(user_id), None)
    cache.set(_key(store_id), agents, ONLINE_TTL)


def agents_online(store_id: int) -> bool:
    return bool(_live(store_id))


def online_agent_ids(store_id: int) -> list[int]:
    return sorted(int(user) for user in _live(store_id))
