"""Graphs are checked completely when saved; each error points at the node and the field."""

from flows.graph import parse_graph
from tests.flowkit import assistant_graph, edge, graph, node


def errors_of(raw, **kwargs) -> list[tuple]:
    parsed, errors = parse_graph(raw, **kwargs)
    assert parsed is None if errors else parsed is not None
    return [(e.node, e.field, e.message) for e in errors]


def test_the_sample_assistant_is_valid():
    assert errors_of(assistant_graph()) == []


def test_an_unknown_node_type_is_named():
    assert errors_of(graph([node("a", "teleport")], [])) == [("a", "type", "Unknown node type 'teleport'.")]


def test_a_missing_required_field_points_at_the_field():
    found = errors_of(graph([node("ask", "collect_input", kind="email", save_to="contact.email")], []))
    assert [(n, f) for n, f, _ in found] == [("ask", "config.prompt")]


def test_a_bad_template_points_at_the_text():
    found = errors_of(graph([node("hi", "send_message", text="Hello {{ contact.name ")], []))
    assert [(n, f) for n, f, _ in found] == [("hi", "config.text")]


def test_an_edge_to_nowhere_and_from_a_missing_exit_are_refused():
    found = errors_of(graph(
        [node("a", "send_message", text="A"), node("b", "send_message", text="B")],
        [edge("a", "ghost"), edge("b", "a", "yes")],
    ), )
    assert ("a", "edges[0].to", "This edge leads to a node that does not exist.") in found
    assert ("b", "edges[1].port", "This node has no exit called 'yes'.") in found


def test_an_unreachable_node_is_named():
    found = errors_of(graph([node("a", "send_message", text="A"), node("island", "send_message", text="B")], []))
    assert found == [("island", None, "No path from the start reaches this node.")]


def test_a_loop_with_no_question_in_it_is_refused():
    found = errors_of(graph(
        [node("a", "send_message", text="A"), node("b", "set_variable", assignments=[{"target": "vars.x", "value": "1"}])],
        [edge("a", "b"), edge("b", "a")],
    ))  # fmt: skip
    assert len(found) == 1 and "never waits for the shopper" in found[0][2]


def test_a_loop_through_a_question_is_fine():
    raw = graph(
        [node("q", "buttons", text="Again?", buttons=[{"id": "yes", "title": "Yes"}]), node("a", "send_message", text="A")],
        [edge("q", "a", "yes"), edge("a", "q")],
    )  # fmt: skip
    assert errors_of(raw) == []


def test_a_jump_within_the_flow_counts_for_loops_and_must_land_somewhere():
    looping = graph([node("a", "send_message", text="A"), node("j", "jump", node_id="a")], [edge("a", "j")])
    assert "never waits" in errors_of(looping)[0][2]
    nowhere = graph([node("j", "jump", node_id="ghost")], [])
    assert errors_of(nowhere) == [("j", "config.node_id", "This jump leads to a node that does not exist.")]


def test_a_jump_to_the_flows_own_id_is_checked_like_a_jump_within_it():
    looping = graph([node("a", "send_message", text="A"), node("j", "jump", flow_id=5, node_id="a")], [edge("a", "j")])
    assert "never waits" in errors_of(looping, flow_id=5)[0][2]
    nowhere = graph([node("j", "jump", flow_id=5, node_id="ghost")], [])
    assert errors_of(nowhere, flow_id=5)[0][1] == "config.node_id"
    only_by_jump = graph(
        [node("q", "buttons", text="Q", buttons=[{"id": "a", "title": "A"}]), node("j", "jump", flow_id=5),
         node("lone", "send_message", text="L")],
        [edge("q", "j", "a"), edge("lone", "q")],
        start="lone",
    )  # fmt: skip
    assert errors_of(only_by_jump, flow_id=5) == []


def test_a_jump_to_a_flow_the_store_does_not_have_is_refused():
    raw = graph([node("j", "jump", flow_id=99)], [])
    assert errors_of(raw, flow_exists=lambda flow_id: flow_id == 7)[0][1] == "config.flow_id"
    assert errors_of(raw, flow_exists=lambda flow_id: flow_id == 99) == []


def test_shapes_that_are_not_graphs_are_refused_with_a_message():
    assert errors_of([]) == [(None, None, "A graph is an object with start, nodes and edges.")]
    assert errors_of({"start": "a", "nodes": []})[0][1] == "nodes"
    found = errors_of({"start": "a", "nodes": [{"id": "a b", "type": "send_message"}], "edges": []})
    assert found[0][1] == "nodes[0].id"
    dup = graph([node("a", "send_message", text="A"), node("a", "send_message", text="B")], [])
    assert errors_of(dup) == [("a", "id", "Two nodes have this id.")]
    missing_start = graph([node("a", "send_message", text="A")], [], start="zzz")
    assert errors_of(missing_start) == [(None, "start", "The start node does not exist.")]
