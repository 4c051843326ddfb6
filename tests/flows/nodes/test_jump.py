from flows.nodes import jump
from flows.nodes.base import JumpTarget
from tests.flows.nodes.helpers import invalid, run


def test_it_jumps_to_a_node_of_this_flow():
    result = run(jump, {"node_id": "menu"})
    assert result.jump == JumpTarget(flow_id=None, node_id="menu")
    assert result.next is None


def test_it_jumps_to_another_flow_at_its_start_or_at_a_node():
    assert run(jump, {"flow_id": 7}).jump == JumpTarget(flow_id=7, node_id="")
    assert run(jump, {"flow_id": 7, "node_id": "faq"}).jump == JumpTarget(flow_id=7, node_id="faq")


def test_it_tells_validation_where_it_goes_and_has_no_exits():
    config = jump.Config.model_validate({"flow_id": 3, "node_id": "x"})
    assert jump.jump_targets(config) == [JumpTarget(flow_id=3, node_id="x")]
    assert jump.ports(config) == []


def test_it_needs_a_flow_or_a_node():
    assert "Choose a flow or a node" in invalid(jump, {})
    assert invalid(jump, {"flow_id": 0}).startswith("flow_id:")
    assert invalid(jump, {"node_id": "no spaces"}).startswith("node_id:")
