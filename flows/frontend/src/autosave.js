// Autosave: every change is saved (debounced) with the revision it was made on. A stale revision comes back
// 409 with the newer draft, which is shown instead (never silently overwritten); a network blip is retried
// with backoff, and leaving the page with unsaved changes asks first.
import { useEffect, useRef, useState } from "react";
import { toCanvas, toGraph } from "./graph.js";

const DEBOUNCE_MS = 700;
const LABELS = { saved: "All changes saved", dirty: "Unsaved changes", saving: "Saving…", offline: "Offline — retrying", error: "Not saved", conflict: "Not saved: someone else changed this flow" };

function normal(graph) {
  const canvas = toCanvas(graph);
  return JSON.stringify(toGraph(canvas.nodes, canvas.edges, canvas.start));
}

export function useAutosave({ api, flow, graph, onConflict, setFlow }) {
  const [state, setState] = useState("saved");
  const [errors, setErrors] = useState([]);
  const [conflict, setConflict] = useState(null);
  const r = useRef({ saved: normal(flow.graph), revision: flow.revision, timer: null, inflight: null, retryIn: 1000, latest: graph });
  const json = JSON.stringify(graph);
  r.current.latest = graph;

  const run = async () => {
    const s = r.current;
    clearTimeout(s.timer);
    if (s.inflight) return s.inflight.then(run);
    const body = s.latest;
    const text = JSON.stringify(body);
    if (text === s.saved) return null;
    setState("saving");
    s.inflight = (async () => {
      try {
        const answer = await api.put(`flows/${flow.id}/draft/`, { graph: body, revision: s.revision });
        s.saved = text;
        s.revision = answer.revision;
        s.retryIn = 1000;
        setErrors(answer.errors);
        setFlow((f) => ({ ...f, revision: answer.revision }));
        setState(JSON.stringify(s.latest) === text ? "saved" : "dirty");
      } catch (error) {
        if (error.status === 409) {
          const theirs = error.body.flow;
          s.saved = normal(theirs.graph);
          s.revision = theirs.revision;
          setConflict({ detail: error.body.detail, mine: body, theirs });
          onConflict(theirs);
          setState("conflict");
        } else if (error.network) {
          setState("offline");
          s.timer = setTimeout(run, s.retryIn);
          s.retryIn = Math.min(s.retryIn * 2, 30000);
        } else {
          setErrors((error.body && error.body.graph_errors) || [{ node: null, field: null, message: error.message }]);
          setState("error");
        }
      } finally {
        s.inflight = null;
      }
    })();
    return s.inflight;
  };

  useEffect(() => {
    const s = r.current;
    if (json === s.saved) return;
    if (state !== "offline") setState("dirty");
    clearTimeout(s.timer);
    s.timer = setTimeout(run, DEBOUNCE_MS);
  }, [json]);

  useEffect(() => {
    api.post(`flows/${flow.id}/validate/`, {}).then((answer) => setErrors(answer.errors), () => {});
    const warn = (event) => {
      const s = r.current;
      if (JSON.stringify(s.latest) !== s.saved) {
        event.preventDefault();
        event.returnValue = "";
      }
    };
    window.addEventListener("beforeunload", warn);
    return () => window.removeEventListener("beforeunload", warn);
  }, []);

  return {
    state, errors, setErrors, conflict,
    label: LABELS[state],
    flush: async () => {
      await run();
      const s = r.current;
      if (JSON.stringify(s.latest) !== s.saved) throw new Error("The draft is not saved yet: " + LABELS[state].toLowerCase() + ".");
    },
    markSaved: (newer) => {
      r.current.saved = normal(newer.graph);
      r.current.revision = newer.revision;
      setState("saved");
      api.post(`flows/${flow.id}/validate/`, {}).then((answer) => setErrors(answer.errors), () => {});
    },
    overwrite: () => {
      const mine = conflict.mine;
      setConflict(null);
      onConflict({ ...conflict.theirs, graph: mine, revision: r.current.revision });
    },
    dismissConflict: () => {
      setConflict(null);
      setState("saved");
    },
  };
}
