"""Every write to flows: create, edit the draft, publish, roll back. Graphs are validated before they are stored."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from flows.graph import GraphError, empty_graph, flows_jumped_to, parse_graph
from flows.models import Flow, FlowVersion
from flows.queries import flow_exists_in
from tenants.models import Store


class InvalidGraph(ValidationError):
    """The graph was refused; ``graph_errors`` point at the node and field of each problem."""

    def __init__(self, errors: list[GraphError]):
        self.graph_errors = errors
        super().__init__({"graph": [_describe(e) for e in errors]})


def _describe(error: GraphError) -> str:
    where = " ".join(part for part in (f"node {error.node}" if error.node else "", error.field or "") if part)
    return f"{where}: {error.message}" if where else error.message


def check_graph(store: Store, graph, *, flow_id: int | None = None) -> list[GraphError]:
    """Every problem with a graph, for the builder's validate button; empty when it can be published."""
    return parse_graph(graph, flow_exists=flow_exists_in(store), flow_id=flow_id)[1]


def _require_valid(store: Store, graph, flow_id: int | None = None) -> None:
    errors = check_graph(store, graph, flow_id=flow_id)
    if errors:
        raise InvalidGraph(errors)


def _clean_name(name: str) -> str:
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": "Give the flow a name."})
    if len(name) > 100:
        raise ValidationError({"name": "Keep the name under 100 characters."})
    return name


@transaction.atomic
def create_flow(store: Store, *, name: str, description: str = "", graph=None, by=None) -> Flow:
    graph = empty_graph() if graph is None else graph
    _require_valid(store, graph)
    first = not Flow.objects.filter(store=store).exists()
    return Flow.objects.create(
        store=store, name=_clean_name(name), description=description[:300], draft_graph=graph,
        draft_updated_by=by, is_default=first,
    )  # fmt: skip


@transaction.atomic
def update_flow(flow: Flow, *, name=None, description=None, graph=None, by=None) -> Flow:
    """Rename, describe, or save a new draft graph (refused with pointed errors when invalid)."""
    flow = Flow.objects.select_for_update().get(pk=flow.pk, store=flow.store)
    if name is not None:
        flow.name = _clean_name(name)
    if description is not None:
        flow.description = description[:300]
    if graph is not None:
        _require_valid(flow.store, graph, flow.pk)
        flow.draft_graph, flow.draft_updated_at, flow.draft_updated_by = graph, timezone.now(), by
    flow.save()
    return flow


@transaction.atomic
def publish_flow(flow: Flow, *, by=None, note: str = "") -> FlowVersion:
    """Freeze the draft into a new version and make it live. Publishing an unchanged draft changes nothing."""
    rows = Flow.objects.select_for_update(of=("self",)).select_related("published_version")
    flow = rows.get(pk=flow.pk, store=flow.store)
    _require_valid(flow.store, flow.draft_graph, flow.pk)
    live = flow.published_version
    if live is not None and live.graph == flow.draft_graph:
        return live
    number = (FlowVersion.objects.filter(flow=flow).aggregate(n=Max("number"))["n"] or 0) + 1
    version = FlowVersion.objects.create(
        store=flow.store, flow=flow, number=number, graph=flow.draft_graph, note=note[:200], published_by=by
    )
    flow.published_version = version
    flow.save(update_fields=["published_version"])
    return version


@transaction.atomic
def roll_back_flow(flow: Flow, version: FlowVersion, *, by=None) -> Flow:
    """Make an earlier version live again, and start the draft from it. Conversations already in the
    flow finish on the version they started with."""
    flow = Flow.objects.select_for_update().get(pk=flow.pk, store=flow.store)
    if version.flow_id != flow.pk:
        raise ValidationError({"version": "That version belongs to another flow."})
    flow.published_version = version
    flow.draft_graph, flow.draft_updated_at, flow.draft_updated_by = version.graph, timezone.now(), by
    flow.save()
    return flow


@transaction.atomic
def make_default_flow(flow: Flow) -> Flow:
    """New conversations start in this flow from now on."""
    Flow.objects.filter(store=flow.store, is_default=True).exclude(pk=flow.pk).update(is_default=False)
    Flow.objects.filter(pk=flow.pk, store=flow.store).update(is_default=True)
    flow.is_default = True
    return flow


@transaction.atomic
def delete_flow(flow: Flow) -> None:
    """Delete a flow and its versions; refused while another flow jumps to it."""
    others = Flow.objects.filter(store=flow.store).exclude(pk=flow.pk).select_related("published_version")
    referrers = [
        other.name
        for other in others
        if flow.pk in flows_jumped_to(other.draft_graph)
        or (other.published_version and flow.pk in flows_jumped_to(other.published_version.graph))
    ]
    if referrers:
        raise ValidationError(f"Other flows jump to this one: {', '.join(referrers)}. Change them first.")
    flow.delete()
