"""Writes of triggers. Starter flows and the REST API both come through ``set_flow_triggers``."""

from django.core.exceptions import ValidationError
from django.db import transaction

from flows.models import Flow
from flows.triggers import MAX_TRIGGERS_PER_FLOW, SpecError, parse_spec
from flows.triggers.models import Trigger


@transaction.atomic
def set_flow_triggers(flow: Flow, specs: list[dict]) -> list[Trigger]:
    """Replace the flow's triggers with ``specs`` (validated first; nothing changes when one is refused).

    Raises ``ValidationError`` whose message names the trigger (by position) and the problem, under
    ``triggers``; the problem alone is also under ``triggers.<index from 0>.<field>`` (e.g.
    ``triggers.1.config.seconds``) for a form to show it by the field.
    """
    if not isinstance(specs, list):
        raise ValidationError({"triggers": "Send a list of triggers."})
    if len(specs) > MAX_TRIGGERS_PER_FLOW:
        raise ValidationError({"triggers": f"A flow can have at most {MAX_TRIGGERS_PER_FLOW} triggers."})
    cleaned = []
    for position, spec in enumerate(specs, start=1):
        try:
            cleaned.append(parse_spec(spec))
        except SpecError as exc:
            errors = {"triggers": f"Trigger {position}: {exc}"}
            errors[".".join(filter(None, ["triggers", str(position - 1), exc.field]))] = exc.reason
            raise ValidationError(errors) from None
    flow = Flow.objects.select_for_update().get(pk=flow.pk, store=flow.store)
    Trigger.objects.filter(store=flow.store, flow=flow).delete()
    return Trigger.objects.bulk_create([
        Trigger(
            store=flow.store, flow=flow, kind=c.kind, config=c.config, priority=c.priority, cap_per_day=c.cap_per_day,
            cap_per_shopper=c.cap_per_shopper, display=c.display, enabled=c.enabled,
        )
        for c in cleaned
    ])  # fmt: skip
