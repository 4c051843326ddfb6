// Version history: who published what and when, and rolling back to an earlier version.
import { useEffect, useState } from "react";

export function VersionsPanel({ api, flowId, liveId, onRollBack, onClose, refreshKey }) {
  const [versions, setVersions] = useState(null);
  useEffect(() => {
    api.get(`flows/${flowId}/versions/`).then((page) => setVersions(page.results || page), () => setVersions([]));
  }, [refreshKey]);
  return (
    <aside className="versions-panel" aria-label="Version history">
      <header><h2>Version history</h2><button type="button" className="link" onClick={onClose} aria-label="Close history">×</button></header>
      {versions === null ? <p className="muted">Loading…</p> : versions.length === 0 ? <p className="muted">Nothing published yet.</p> : (
        <ol className="versions">
          {versions.map((v) => (
            <li key={v.id} data-version={v.number}>
              <strong>v{v.number}</strong> {v.id === liveId && <span className="live-badge">Live</span>}
              <div className="muted">{v.published_by || "API key"} · {new Date(v.created_at).toLocaleString()}</div>
              {v.note && <div>{v.note}</div>}
              {v.id !== liveId && <button type="button" className="secondary" onClick={() => onRollBack(v)}>Roll back to v{v.number}</button>}
            </li>
          ))}
        </ol>
      )}
    </aside>
  );
}
