// Converting between the stored graph ({start, nodes, edges}) and React Flow's nodes and edges, plus the
// checks the canvas makes while a connection is dragged.
import dagre from "@dagrejs/dagre";

export function toCanvas(graph) {
  const nodes = (graph.nodes || []).map((n) => ({
    id: n.id,
    type: "flowNode",
    position: { x: (n.position && n.position.x) || 0, y: (n.position && n.position.y) || 0 },
    data: { type: n.type, config: n.config || {} },
  }));
  const edges = (graph.edges || []).map((e) => edge(e.from, e.port || "default", e.to));
  return { nodes, edges, start: graph.start || (nodes[0] && nodes[0].id) || "" };
}

export function edge(source, port, target) {
  return { id: `${source}:${port}->${target}`, source, sourceHandle: port, target, targetHandle: "in", type: "smoothstep" };
}

export function toGraph(nodes, edges, start) {
  return {
    start,
    nodes: nodes.map((n) => ({
      id: n.id,
      type: n.data.type,
      config: n.data.config,
      position: { x: Math.round(n.position.x), y: Math.round(n.position.y) },
    })),
    edges: edges.map((e) => ({ from: e.source, port: e.sourceHandle || "default", to: e.target })),
  };
}

// The exits of a node: [{id, label}]; a list field's items name them when the type says PORTS_FROM.
export function portsOf(nodeType, config) {
  if (!nodeType) return [{ id: "default", label: "" }];
  const spec = nodeType.ports;
  if (Array.isArray(spec)) return spec.map((id) => ({ id, label: id === "default" ? "" : humanize(id) }));
  const items = (config && config[spec.from]) || [];
  return items.filter((item) => item && item.id)
    .map((item) => ({ id: item.id, label: item.title || item.name || item.button || item.id }))
    .concat((spec.after || []).map((id) => ({ id, label: humanize(id) })));
}

export function humanize(id) {
  return String(id).replace(/[_-]+/g, " ").replace(/^./, (c) => c.toUpperCase());
}

// Why a connection may not be made (an exit already used, a loop that never waits), or "" when it may.
export function connectionProblem(connection, nodes, edges, types) {
  const { source, target, sourceHandle } = connection;
  if (!source || !target) return "Connect an exit to a step.";
  if (source === target) return "A step cannot lead to itself.";
  const port = sourceHandle || "default";
  if (edges.some((e) => e.source === source && (e.sourceHandle || "default") === port)) {
    return "That exit is already connected: remove its connection first.";
  }
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const waits = (id) => {
    const node = byId.get(id);
    const type = node && types[node.data.type];
    return Boolean(type && type.can_wait);
  };
  if (waits(source) || waits(target)) return "";
  // A new loop source -> target -> ... -> source with no step that waits for the shopper would never stop.
  const seen = new Set([target]);
  const todo = [target];
  while (todo.length) {
    const id = todo.pop();
    for (const e of edges) {
      if (e.source !== id || seen.has(e.target)) continue;
      if (e.target === source) return "That would make a loop that never waits for the shopper, so the bot would talk forever.";
      if (!waits(e.target)) {
        seen.add(e.target);
        todo.push(e.target);
      }
    }
  }
  return "";
}

// Tidy up: a top-to-bottom layered layout (dagre), keeping each node's measured size.
export function tidy(nodes, edges) {
  const g = new dagre.graphlib.Graph();
  g.setGraph({ rankdir: "TB", nodesep: 50, ranksep: 70 });
  g.setDefaultEdgeLabel(() => ({}));
  nodes.forEach((n) => g.setNode(n.id, { width: (n.measured && n.measured.width) || 240, height: (n.measured && n.measured.height) || 110 }));
  edges.forEach((e) => g.setEdge(e.source, e.target));
  dagre.layout(g);
  return nodes.map((n) => {
    const p = g.node(n.id);
    const w = (n.measured && n.measured.width) || 240;
    const h = (n.measured && n.measured.height) || 110;
    return { ...n, position: { x: Math.round(p.x - w / 2), y: Math.round(p.y - h / 2) } };
  });
}

export function newNodeId(type, nodes) {
  const taken = new Set(nodes.map((n) => n.id));
  for (let i = 1; ; i++) {
    const id = `${type}_${i}`;
    if (!taken.has(id)) return id;
  }
}
