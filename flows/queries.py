"""Store-scoped reads of flows. ``access_*`` answer 404 alike for a missing flow and another store's."""

from functools import lru_cache

from django.shortcuts import get_object_or_404

from flows.engine import LoadedFlow
from flows.graph import parse_graph
from flows.models import Flow, FlowVersion
from tenants.models import Store


def access_flow(store: Store, flow_id) -> Flow:
    return get_object_or_404(Flow.objects.select_related("published_version"), store=store, pk=flow_id)


def access_flow_version(store: Store, flow: Flow, version_id) -> FlowVersion:
    return get_object_or_404(FlowVersion, store=store, flow=flow, pk=version_id)


def flow_exists_in(store: Store):
    """A check for graph validation: does this id name one of the store's flows?"""
    return lambda flow_id: Flow.objects.filter(store=store, pk=flow_id).exists()


@lru_cache(maxsize=512)
def _parsed(version_id: int, store_id: int) -> LoadedFlow | None:
    # Versions never change once made, so a parsed graph can be kept for the life of the process.
    row = FlowVersion.objects.filter(pk=version_id, store_id=store_id).values_list("flow_id", "graph").first()
    if row is None:
        return None
    graph, _errors = parse_graph(row[1], flow_id=row[0])
    return None if graph is None else LoadedFlow(flow_id=row[0], version_id=version_id, graph=graph)


def load_version(store: Store, version_id: int | None) -> LoadedFlow | None:
    """A published version of one of the store's flows, parsed for the engine."""
    return _parsed(version_id, store.pk) if version_id else None


def load_published(store: Store, flow_id: int | None) -> LoadedFlow | None:
    """The version of the store's flow ``flow_id`` that is live now, or None."""
    version_id = Flow.objects.filter(store=store, pk=flow_id).values_list("published_version_id", flat=True).first()
    return load_version(store, version_id)


def load_default(store: Store) -> LoadedFlow | None:
    """The live version of the flow new conversations start in."""
    version_id = (
        Flow.objects.filter(store=store, is_default=True).values_list("published_version_id", flat=True).first()
    )
    return load_version(store, version_id)
