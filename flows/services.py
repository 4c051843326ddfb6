"""Every write to flows: create, edit the draft, publish, roll back. Graphs are validated before they are stored."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from flows.graph import GraphError, empty_graph, flows_jumped_to, parse_graph, shape_errors
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


class StaleDraft(Exception):
    """The draft changed since the revision the caller edited; ``flow`` is the newer one."""

    def __init__(self, flow: Flow):
        self.flow = flow
        super().__init__(f"The draft is at revision {flow.draft_revision}.")


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


def _locked(flow: Flow, revision: int | None = None) -> Flow:
    flow = Flow.objects.select_for_update().get(pk=flow.pk, store=flow.store)
    if revision is not None and revision != flow.draft_revision:
        raise StaleDraft(flow)
    return flow


def _set_draft(flow: Flow, graph, by) -> None:
    flow.draft_graph, flow.draft_updated_at, flow.draft_updated_by = graph, timezone.now(), by
    flow.draft_revision += 1


@transaction.atomic
def update_flow(flow: Flow, *, name=None, description=None, graph=None, by=None, revision: int | None = None) -> Flow:
    """Rename, describe, or save a new draft graph (refused with pointed errors when invalid). With
    ``revision``, refused with ``StaleDraft`` when the draft has changed since that revision."""
    flow = _locked(flow, revision)
    if name is not None:
        flow.name = _clean_name(name)
    if description is not None:
        flow.description = description[:300]
    if graph is not None:
        _require_valid(flow.store, graph, flow.pk)
        _set_draft(flow, graph, by)
    flow.save()
    return flow


@transaction.atomic
def save_draft(flow: Flow, *, graph, revision: int, by=None) -> tuple[Flow, list[GraphError]]:
    """The builder's autosave: store a work-in-progress draft that may not be publishable yet (a node not
    connected, a field not filled in) and return its problems. Refused with ``InvalidGraph`` only when the
    graph is not a graph at all, and with ``StaleDraft`` when someone saved a newer draft meanwhile."""
    broken = shape_errors(graph)
    if broken:
        raise InvalidGraph(broken)
    flow = _locked(flow, revision)
    if graph != flow.draft_graph:
        _set_draft(flow, graph, by)
        flow.save(update_fields=["draft_graph", "draft_updated_at", "draft_updated_by", "draft_revision"])
    return flow, check_graph(flow.store, graph, flow_id=flow.pk)


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
    _set_draft(flow, version.graph, by)
    flow.save()
    return flow


@transaction.atomic
def duplicate_flow(flow: Flow, *, by=None) -> Flow:
    """A new, unpublished flow with a copy of this one's draft (work in progress included)."""
    name = f"Copy of {flow.name}"[:100]
    return Flow.objects.create(
        store=flow.store, name=name, description=flow.description, draft_graph=flow.draft_graph, draft_updated_by=by,
    )  # fmt: skip


EXPORT_FORMAT = "shopbot-flow/1"


def export_flow(flow: Flow) -> dict:
    """The flow as a file another flow (in this store or another) can be imported from."""
    return {"format": EXPORT_FORMAT, "name": flow.name, "description": flow.description, "graph": flow.draft_graph}


@transaction.atomic
def import_flow(store: Store, data, *, by=None) -> Flow:
    """Create a flow from an exported file. Everything is checked first (the graph must be publishable and
    name only this store's flows), so a bad file changes nothing."""
    if not isinstance(data, dict) or "graph" not in data:
        raise ValidationError({"file": "This is not a flow file: it needs a graph (export a flow to see one)."})
    if data.get("format", EXPORT_FORMAT) != EXPORT_FORMAT:
        raise ValidationError({"file": f"This file's format {str(data.get('format'))[:40]!r} is not one we read."})
    name = data.get("name") if isinstance(data.get("name"), str) else "Imported flow"
    description = data.get("description") if isinstance(data.get("description"), str) else ""
    return create_flow(store, name=name[:100] or "Imported flow", description=description, graph=data["graph"], by=by)


@transaction.atomic
def create_flow_from_template(store: Store, key: str, *, name: str = "", by=None) -> Flow:
    from flows.starters import starter_templates

    template = next((t for t in starter_templates(store) if t["key"] == key), None)
    if template is None:
        raise ValidationError({"template": "There is no starter template with that name."})
    from flows.triggers.services import set_flow_triggers

    flow = create_flow(
        store, name=name or template["name"], description=template["description"], graph=template["graph"], by=by
    )
    set_flow_triggers(flow, template["triggers"])  # they fire once the owner publishes the flow
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
