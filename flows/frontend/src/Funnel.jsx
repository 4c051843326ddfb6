// The funnel drawn on the canvas: for the last 7, 30 or 90 days (the store's days), how many conversations
// entered each step and how many dropped off there, from `GET analytics/flows/<id>/funnel/`; the full table
// is the analytics page of the flow.
import { useEffect, useMemo, useState } from "react";

export const RANGES = [7, 30, 90];

// YYYY-MM-DD of `date` in the store's time zone (the analytics API counts the store's days).
export function storeDay(date, timeZone) {
  try {
    return new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" }).format(date);
  } catch (e) {
    return date.toISOString().slice(0, 10);
  }
}

export function periodOf(days, timeZone, now = new Date()) {
  const to = storeDay(now, timeZone);
  const [y, m, d] = to.split("-").map(Number);
  const from = new Date(Date.UTC(y, m - 1, d - (days - 1))).toISOString().slice(0, 10);
  return { from, to };
}

// Fetches the funnel while it is shown; `byNode` maps a node id to its row.
export function useFunnel({ api, flowId, days, timeZone, shown }) {
  const [report, setReport] = useState(null);
  const [problem, setProblem] = useState("");
  useEffect(() => {
    if (!shown) return undefined;
    let current = true;
    const { from, to } = periodOf(days, timeZone);
    setProblem("");
    api.get(`analytics/flows/${flowId}/funnel/?from=${from}&to=${to}`).then(
      (answer) => current && setReport({ ...answer, days }),
      (error) => current && (setReport(null), setProblem(error.message)),
    );
    return () => { current = false; };
  }, [shown, days, flowId, timeZone]);
  const byNode = useMemo(
    () => (shown && report ? Object.fromEntries(report.nodes.map((row) => [row.node_id, row])) : null),
    [shown, report],
  );
  return { report: shown ? report : null, byNode, problem: shown ? problem : "" };
}

export function FunnelBar({ funnel, days, setDays, tableUrl, canvasIds, onClose }) {
  const { report, problem } = funnel;
  // Steps conversations went through that the draft no longer has (not the engine's built-in "@handoff").
  const elsewhere = report
    ? report.nodes.filter((row) => !canvasIds.has(row.node_id) && !row.node_id.startsWith("@") && row.entered > 0) : [];
  const period = report && report.period;
  const link = period ? `${tableUrl}?from=${period.from}&to=${period.to}` : tableUrl;
  return (
    <div className="banner funnel-bar" role="region" aria-label="Funnel">
      <label>
        Funnel for the last{" "}
        <select value={days} onChange={(e) => setDays(Number(e.target.value))} aria-label="Funnel period">
          {RANGES.map((n) => <option key={n} value={n}>{n} days</option>)}
        </select>
      </label>
      {problem ? <span className="funnel-problem">{problem}</span> : !report ? <span className="muted">Loading…</span> : (
        <span data-testid="funnel-totals">
          {report.conversations} conversation{report.conversations === 1 ? "" : "s"} · {report.finished} finished · {report.dropped} dropped off
          {elsewhere.length > 0 && ` · ${elsewhere.length} step${elsewhere.length === 1 ? "" : "s"} not on this draft`}
          {report.notice && ` · ${report.notice}`}
        </span>
      )}
      <a href={link} target="_blank" rel="noopener">Full table →</a>
      <div className="spacer" />
      <button type="button" className="link" onClick={onClose} aria-label="Close the funnel">×</button>
    </div>
  );
}

// On a node card: entered and dropped off (or finished, at a step with no way on).
export function FunnelBadge({ row }) {
  if (!row) return <div className="node-funnel empty" data-testid="funnel-counts">Not in the live version</div>;
  const rate = row.drop_rate === null || row.drop_rate === undefined ? "" : ` (${Math.round(row.drop_rate * 100)}%)`;
  return (
    <div className="node-funnel" data-testid="funnel-counts">
      <span className="entered"><strong>{row.entered}</strong> entered</span>
      {row.terminal ? (
        <span className="finished"><strong>{row.finished}</strong> finished</span>
      ) : (
        <span className={row.dropped ? "dropped" : ""}><strong>{row.dropped}</strong> dropped off{row.dropped ? rate : ""}</span>
      )}
    </div>
  );
}
