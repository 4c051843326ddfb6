// The flow builder: canvas (React Flow), palette, side panel, autosave with revisions, publish, history, preview.
import {
  Background, Controls, MiniMap, ReactFlow, applyEdgeChanges, applyNodeChanges, useReactFlow,
} from "@xyflow/react";
import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import { BuilderContext } from "./context.js";
import FlowNode from "./FlowNode.jsx";
import { connectionProblem, edge, newNodeId, portsOf, tidy, toCanvas, toGraph } from "./graph.js";
import { Icon } from "./icons.jsx";
import { NodePanel } from "./Panel.jsx";
import { PreviewPanel } from "./Preview.jsx";
import { initialConfig } from "./schema.js";
import { FunnelBar, useFunnel } from "./Funnel.jsx";
import { TriggersPanel, TriggersSection } from "./Triggers.jsx";
import { VersionsPanel } from "./Versions.jsx";
import { useAutosave } from "./autosave.js";

const NODE_TYPES = { flowNode: FlowNode };
const GROUP_LABELS = { messages: "Messages", questions: "Questions", logic: "Logic", shop: "Shop", people: "People", integrations: "Integrations" };
const HISTORY_LIMIT = 100;
const NO_TRIGGERS = [];

function strip(nodes) {
  return nodes.map(({ id, type, position, data }) => ({ id, type, position, data }));
}

export function App({ api, flow: initialFlow, types: typeList, pickers, previewUrl, listUrl, triggerKinds, funnelUrl, timeZone, store }) {
  const types = useMemo(() => Object.fromEntries(typeList.map((t) => [t.type, t])), [typeList]);
  const first = useMemo(() => toCanvas(initialFlow.graph), []);
  const [flow, setFlow] = useState(initialFlow);
  const [nodes, setNodes] = useState(first.nodes);
  const [edges, setEdges] = useState(first.edges);
  const [start, setStart] = useState(first.start);
  const [selectedId, setSelectedId] = useState(null);
  const [panel, setPanel] = useState(null); // "preview" | "versions" | "triggers" | null
  const [triggers, setTriggers] = useState(null);
  const [funnelShown, setFunnelShown] = useState(false);
  const [funnelDays, setFunnelDays] = useState(30);
  const [activeNode, setActiveNode] = useState("");
  const [toast, setToast] = useState(null);
  const [publishing, setPublishing] = useState(false);
  const history = useRef({ undo: [], redo: [] });
  const clipboard = useRef(null);
  const refusal = useRef("");
  const wrapper = useRef(null);
  const { screenToFlowPosition, fitView } = useReactFlow();

  const graph = useMemo(() => toGraph(nodes, edges, start), [nodes, edges, start]);
  const funnel = useFunnel({ api, flowId: initialFlow.id, days: funnelDays, timeZone, shown: funnelShown });
  useEffect(() => {
    api.get(`flows/${initialFlow.id}/triggers/`).then((answer) => setTriggers(answer.triggers), () => setTriggers([]));
  }, []);
  const say = (text, kind = "info") => setToast({ text, kind, at: Date.now() });

  const load = useCallback((newer) => {
    const canvas = toCanvas(newer.graph);
    setFlow(newer);
    setNodes(canvas.nodes);
    setEdges(canvas.edges);
    setStart(canvas.start);
    history.current = { undo: [], redo: [] };
  }, []);

  const save = useAutosave({ api, flow, graph, onConflict: load, setFlow });
  const errorsByNode = useMemo(() => {
    const by = {};
    save.errors.forEach((e) => e.node && (by[e.node] = by[e.node] || []).push(e));
    return by;
  }, [save.errors]);

  // --- history: every change worth undoing goes through commit() ------------------------------------
  const snapshot = () => ({ nodes: strip(nodes), edges, start });
  const remember = (mergeKey = "") => {
    // Typing into one field makes one undo step, not one per key.
    const h = history.current;
    const now = Date.now();
    const merge = mergeKey && h.lastKey === mergeKey && now - h.lastAt < 1500;
    h.lastKey = mergeKey;
    h.lastAt = now;
    if (merge) return;
    h.undo.push(snapshot());
    if (h.undo.length > HISTORY_LIMIT) h.undo.shift();
    h.redo = [];
  };
  const commit = (nextNodes, nextEdges, nextStart = start, mergeKey = "") => {
    remember(mergeKey);
    setNodes(nextNodes);
    setEdges(nextEdges);
    setStart(nextStart);
  };
  const travel = (from, to) => {
    const h = history.current;
    const state = h[from].pop();
    if (!state) return;
    h[to].push(snapshot());
    h.lastKey = "";
    setNodes(state.nodes);
    setEdges(state.edges);
    setStart(state.start);
  };
  const undo = () => travel("undo", "redo");
  const redo = () => travel("redo", "undo");

  // --- canvas events ----------------------------------------------------------------------------------
  const onNodesChange = (changes) => {
    const removing = changes.filter((c) => c.type === "remove").map((c) => c.id);
    if (removing.length) {
      const gone = new Set(removing);
      commit(nodes.filter((n) => !gone.has(n.id)), edges.filter((e) => !gone.has(e.source) && !gone.has(e.target)));
      if (gone.has(selectedId)) setSelectedId(null);
      return;
    }
    setNodes((current) => applyNodeChanges(changes, current));
  };
  const onEdgesChange = (changes) => {
    if (changes.some((c) => c.type === "remove")) commit(nodes, applyEdgeChanges(changes, edges));
    else setEdges((current) => applyEdgeChanges(changes, current));
  };
  const isValidConnection = (connection) => {
    refusal.current = connectionProblem(connection, nodes, edges, types);
    return !refusal.current;
  };
  const onConnect = (connection) => {
    if (connectionProblem(connection, nodes, edges, types)) return;
    commit(nodes, [...edges, edge(connection.source, connection.sourceHandle || "default", connection.target)]);
  };
  const onConnectEnd = () => {
    if (refusal.current) say(refusal.current, "error");
    refusal.current = "";
  };

  const addNode = (typeName, position) => {
    const type = types[typeName];
    const id = newNodeId(typeName, nodes);
    const node = { id, type: "flowNode", position, data: { type: typeName, config: initialConfig(type) } };
    commit([...nodes.map((n) => ({ ...n, selected: false })), { ...node, selected: true }], edges, nodes.length ? start : id);
    setSelectedId(id);
  };
  const onDrop = (event) => {
    event.preventDefault();
    const typeName = event.dataTransfer.getData("application/x-shopbot-node");
    if (!types[typeName]) return;
    addNode(typeName, screenToFlowPosition({ x: event.clientX - 120, y: event.clientY - 30 }));
  };
  const addFromPalette = (typeName) => {
    const box = wrapper.current.getBoundingClientRect();
    addNode(typeName, screenToFlowPosition({ x: box.left + box.width / 2 - 120, y: box.top + box.height / 3 }));
  };

  const changeConfig = (id, config) => {
    const node = nodes.find((n) => n.id === id);
    const type = types[node.data.type];
    const before = portsOf(type, node.data.config).map((p) => p.id);
    const after = portsOf(type, config).map((p) => p.id);
    // A renamed exit (a button's id edited) keeps its connection; a removed one loses it.
    const renamed = Object.fromEntries(before.map((old, i) => [old, after.length === before.length ? after[i] : old]));
    const nextEdges = edges
      .map((e) => (e.source === id && renamed[e.sourceHandle] && renamed[e.sourceHandle] !== e.sourceHandle
        ? edge(e.source, renamed[e.sourceHandle], e.target) : e))
      .filter((e) => e.source !== id || after.includes(e.sourceHandle));
    commit(nodes.map((n) => (n.id === id ? { ...n, data: { ...n.data, config } } : n)), nextEdges, start, `config:${id}`);
  };
  const deleteNode = (id) => {
    commit(nodes.filter((n) => n.id !== id), edges.filter((e) => e.source !== id && e.target !== id));
    setSelectedId(null);
  };

  // --- copy / paste / undo keys -------------------------------------------------------------------
  useEffect(() => {
    const onKey = (event) => {
      const tag = (event.target.tagName || "").toLowerCase();
      if (tag === "input" || tag === "textarea" || tag === "select" || event.target.isContentEditable) return;
      const mod = event.ctrlKey || event.metaKey;
      if (!mod) return;
      const key = event.key.toLowerCase();
      if (key === "z" && !event.shiftKey) { event.preventDefault(); undo(); }
      else if ((key === "z" && event.shiftKey) || key === "y") { event.preventDefault(); redo(); }
      else if (key === "c") {
        const chosen = nodes.filter((n) => n.selected);
        const ids = new Set(chosen.map((n) => n.id));
        clipboard.current = chosen.length ? { nodes: strip(chosen), edges: edges.filter((e) => ids.has(e.source) && ids.has(e.target)) } : null;
        if (chosen.length) say(`Copied ${chosen.length} step${chosen.length > 1 ? "s" : ""}.`);
      } else if (key === "v" && clipboard.current) {
        event.preventDefault();
        const taken = [...nodes];
        const renamed = {};
        const pasted = clipboard.current.nodes.map((n) => {
          const id = newNodeId(n.data.type, taken);
          renamed[n.id] = id;
          const copy = { ...n, id, selected: true, position: { x: n.position.x + 40, y: n.position.y + 40 }, data: JSON.parse(JSON.stringify(n.data)) };
          taken.push(copy);
          return copy;
        });
        const pastedEdges = clipboard.current.edges.map((e) => edge(renamed[e.source], e.sourceHandle, renamed[e.target]));
        commit([...nodes.map((n) => ({ ...n, selected: false })), ...pasted], [...edges, ...pastedEdges]);
      }
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  });

  // --- publish, roll back -------------------------------------------------------------------------
  const publish = async () => {
    setPublishing(true);
    try {
      await save.flush();
      const version = await api.post(`flows/${flow.id}/publish/`, { note: "" });
      setFlow((f) => ({ ...f, published_version: version }));
      say(`Published version ${version.number}: new chats use it now.`, "success");
    } catch (error) {
      if (error.body && error.body.graph_errors) save.setErrors(error.body.graph_errors);
      say(error.message, "error");
    } finally {
      setPublishing(false);
    }
  };
  const rollBack = async (version) => {
    if (!window.confirm(`Make version ${version.number} live again and replace the draft with it?`)) return;
    try {
      await save.flush();
      const restored = await api.post(`flows/${flow.id}/rollback/`, { version_id: version.id });
      load(restored);
      save.markSaved(restored);
      say(`Version ${version.number} is live again, and the draft starts from it.`, "success");
    } catch (error) {
      say(error.message, "error");
    }
  };

  const selected = nodes.find((n) => n.id === selectedId);
  const grouped = Object.keys(GROUP_LABELS).map((g) => [g, typeList.filter((t) => t.group === g)]);
  const otherTypes = typeList.filter((t) => !GROUP_LABELS[t.group]);
  if (otherTypes.length) grouped.push(["other", otherTypes]);
  const looseErrors = save.errors.filter((e) => !e.node);
  const contextValue = useMemo(
    () => ({ types, errorsByNode, start, activeNode, funnel: funnel.byNode }),
    [types, errorsByNode, start, activeNode, funnel.byNode],
  );
  const vars = useMemo(() => {
    // The chat variables other steps save (collect_input's save_to, set_variable's targets), for the picker.
    const targets = nodes.flatMap((n) => [n.data.config.save_to, ...(n.data.config.assignments || []).map((a) => a.target)]);
    return [...new Set(targets.filter((t) => typeof t === "string" && t.startsWith("vars.")).map((t) => t.slice(5)))];
  }, [nodes]);
  const panelPickers = { ...pickers, vars };

  return (
    <BuilderContext.Provider value={contextValue}>
      <div className="builder">
        <div className="toolbar">
          <a className="back" href={listUrl}>← Flows</a>
          <h1 title={flow.description}>{flow.name}</h1>
          <span className={`save-state ${save.state}`} role="status" data-testid="save-state">{save.label}</span>
          <span className="live-version">{flow.published_version ? `Live: v${flow.published_version.number}` : "Not published"}</span>
          <div className="spacer" />
          <button type="button" className="secondary icon" onClick={undo} title="Undo (Ctrl+Z)" aria-label="Undo">↶</button>
          <button type="button" className="secondary icon" onClick={redo} title="Redo (Ctrl+Shift+Z)" aria-label="Redo">↷</button>
          <button type="button" className="secondary" onClick={() => { commit(tidy(nodes, edges), edges); setTimeout(() => fitView({ duration: 300 }), 50); }}>Tidy up</button>
          <button type="button" className="secondary" aria-pressed={funnelShown} onClick={() => setFunnelShown(!funnelShown)}>
            {funnelShown ? "Hide funnel" : "Show funnel"}
          </button>
          <button type="button" className="secondary" onClick={() => setPanel(panel === "triggers" ? null : "triggers")}>Triggers</button>
          <button type="button" className="secondary" onClick={() => setPanel(panel === "versions" ? null : "versions")}>History</button>
          <button type="button" className="secondary" onClick={() => setPanel(panel === "preview" ? null : "preview")}>Preview</button>
          <button type="button" onClick={publish} disabled={publishing}>{publishing ? "Publishing…" : "Publish"}</button>
        </div>
        {save.conflict && (
          <div className="banner conflict" role="alert">
            <span>{save.conflict.detail}</span>
            <button type="button" className="secondary" onClick={() => save.overwrite()}>Put my version back</button>
            <button type="button" className="link" onClick={() => save.dismissConflict()}>Keep theirs</button>
          </div>
        )}
        {looseErrors.length > 0 && (
          <div className="banner problems" role="alert">{looseErrors.map((e, i) => <span key={i}>{e.message}</span>)}</div>
        )}
        {funnelShown && (
          <FunnelBar funnel={funnel} days={funnelDays} setDays={setFunnelDays} tableUrl={funnelUrl}
            canvasIds={new Set(nodes.map((n) => n.id))} onClose={() => setFunnelShown(false)} />
        )}
        {toast && <div className={`toast ${toast.kind}`} role="status" key={toast.at} onAnimationEnd={() => setToast(null)}>{toast.text}</div>}
        <div className="workspace">
          <nav className="palette" aria-label="Steps">
            {grouped.map(([group, list]) => list.length > 0 && (
              <section key={group}>
                <h3>{GROUP_LABELS[group] || "Other"}</h3>
                {list.map((t) => (
                  <button type="button" key={t.type} className={`palette-item group-${t.group}`} draggable title={t.description}
                    data-type={t.type}
                    onDragStart={(e) => { e.dataTransfer.setData("application/x-shopbot-node", t.type); e.dataTransfer.effectAllowed = "move"; }}
                    onDoubleClick={() => addFromPalette(t.type)}>
                    <Icon name={t.icon} /> {t.label}
                  </button>
                ))}
              </section>
            ))}
            <TriggersSection isDefault={flow.is_default} triggers={triggers} kinds={triggerKinds}
              onEdit={() => setPanel("triggers")} />
          </nav>
          <div className="canvas" ref={wrapper} onDragOver={(e) => { e.preventDefault(); e.dataTransfer.dropEffect = "move"; }} onDrop={onDrop}>
            <ReactFlow
              nodes={nodes} edges={edges} nodeTypes={NODE_TYPES}
              onNodesChange={onNodesChange} onEdgesChange={onEdgesChange} onConnect={onConnect} onConnectEnd={onConnectEnd}
              onNodeDragStart={() => remember()} onSelectionDragStart={() => remember()}
              isValidConnection={isValidConnection}
              onSelectionChange={({ nodes: chosen }) => setSelectedId(chosen.length === 1 ? chosen[0].id : null)}
              deleteKeyCode={["Backspace", "Delete"]} fitView fitViewOptions={{ padding: 0.1, minZoom: 0.5, maxZoom: 1 }}
              minZoom={0.2} maxZoom={2} defaultEdgeOptions={{ type: "smoothstep" }} proOptions={{ hideAttribution: true }}
            >
              <Background gap={20} size={1} />
              <MiniMap pannable zoomable nodeStrokeWidth={3} />
              <Controls />
            </ReactFlow>
          </div>
          {panel === "preview" ? (
            <PreviewPanel previewUrl={previewUrl} pickers={pickers} problems={save.errors} onClose={() => setPanel(null)}
              onNode={setActiveNode} />
          ) : panel === "triggers" ? (
            <TriggersPanel api={api} flow={flow} kinds={triggerKinds} saved={triggers || NO_TRIGGERS} pickers={panelPickers}
              store={store} makesCodes={nodes.some((n) => n.data.type === "checkout_link" && n.data.config.discount === "unique")}
              onSaved={(saved) => { setTriggers(saved); say("Triggers saved.", "success"); }} onClose={() => setPanel(null)} />
          ) : panel === "versions" ? (
            <VersionsPanel api={api} flowId={flow.id} liveId={flow.published_version && flow.published_version.id}
              onRollBack={rollBack} onClose={() => setPanel(null)} refreshKey={flow.published_version && flow.published_version.id} />
          ) : selected ? (
            <NodePanel key={selected.id} node={selected} type={types[selected.data.type]} errors={errorsByNode[selected.id] || []}
              isStart={start === selected.id} pickers={panelPickers}
              onChange={(config) => changeConfig(selected.id, config)}
              onStart={() => commit(nodes, edges, selected.id)} onDelete={() => deleteNode(selected.id)} />
          ) : (
            <aside className="side-panel empty">
              <h2>Build your flow</h2>
              <p>Drag a step from the left onto the canvas, then drag from a step's exit (the dot at its bottom) to the next step.</p>
              <p className="muted">Click a step to edit it. Ctrl+C / Ctrl+V copy and paste, Ctrl+Z undoes, Delete removes the selection.</p>
            </aside>
          )}
        </div>
      </div>
    </BuilderContext.Provider>
  );
}
