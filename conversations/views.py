"""The agent inbox page. Thin: reads from ``conversations/queries.py``; every write goes over the agents' socket."""

from django.shortcuts import render

from conversations import queries
from flows.models import Flow
from integrations.queries import orders_of_customer
from tenants.models import Membership, Role
from tenants.scoping import store_route


@store_route(role=Role.AGENT)
def inbox(request, store_slug):
    store, view = request.store, request.GET.get("view", "needs_human")
    search = request.GET.get("q", "")
    context = {
        "store": store, "views": queries.VIEWS, "view": view if view in queries.VIEWS else "needs_human",
        "search": search[:100], "conversations": queries.inbox_conversations(store, request.user, view, search),
        "teammates": Membership.objects.filter(store=store).select_related("user").order_by("user__name"),
        "flows": Flow.objects.filter(store=store, published_version__isnull=False).order_by("name"),
    }  # fmt: skip
    selected = request.GET.get("c", "")
    if selected.isdigit():
        conversation = queries.access_conversation(store, int(selected))
        contact = conversation.contact
        context.update(
            selected=conversation, contact=contact, summary=queries.summary(conversation),
            orders=orders_of_customer(store, contact.customer, limit=5) if contact.customer else [],
        )  # fmt: skip
    return render(request, "conversations/inbox.html", context)
