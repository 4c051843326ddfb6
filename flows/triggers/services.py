"""Writes of triggers. Starter flows and the REST API both come through ``set_flow_triggers``."""

from django.core.exceptions import ValidationError
from django.db import transaction

from flows.models import Flow
from flows.triggers import MAX_TRIGGERS_PER_FLOW, parse_spec
from flows.triggers.models import Trigger


@transaction.atomic
def set_flow_triggers(flow: Flow, specs: list[dict]) -> list[Trigger]:
    """Replace the flow's triggers with ``specs`` (validated first; nothing changes when one is refused).

    Raises ``ValidationError`` whose message names the trigger (by position) and the problem.
    """
    if not isinstance(specs, list):
        raise ValidationError({"triggers": "Send a list of triggers."})
    if len(specs) > MAX_TRIGGERS_PER_FLOW:
        raise ValidationError({"triggers": f"A flow can have at most {MAX_TRIGGERS_PER_FLOW} triggers."})
    cleaned = []
    for position, spec in enumerate(specs, start=1):
        try:
            cleaned.append(parse_spec(spec))
        except ValueError as exc:
            raise ValidationError({"triggers": f"Trigger {position}: {exc}"}) from None
    flow = Flow.objects.select_for_update().get(pk=flow.pk, store=flow.store)
    Trigger.objects.filter(store=flow.store, flow=flow).delete()
    return Trigger.objects.bulk_create([
        Trigger(
            store=flow.store, flow=flow, kind=c.kind, config=c.config, priority=c.priority, cap_per_day=c.cap_per_day,
            cap_per_shopper=c.cap_per_shopper, display=c.display, enabled=c.enabled,
        )
        for c in cleaned
    ])  # fmt: skip
