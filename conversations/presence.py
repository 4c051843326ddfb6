"""Whether any agent of a store is online now, kept in the cache (Redis) with a short time-to-live.

The agent inbox reports each open agent socket with ``mark_agent_online`` on connect and on a heartbeat.
"""

from django.core.cache import cache

from tenants.models import Membership

ONLINE_TTL = 90  # seconds an agent counts as online after their last heartbeat


def _key(store_id: int, user_id: int) -> str:
    return f"presence:store:{store_id}:agent:{user_id}"


def mark_agent_online(store_id: int, user_id: int) -> None:
    cache.set(_key(store_id, user_id), 1, ONLINE_TTL)


def mark_agent_offline(store_id: int, user_id: int) -> None:
    cache.delete(_key(store_id, user_id))


def agents_online(store_id: int) -> bool:
    members = Membership.objects.filter(store_id=store_id).values_list("user_id", flat=True)
    return bool(cache.get_many([_key(store_id, user_id) for user_id in members]))
