// The preview panel: choose who the pretend shopper is, then chat with the draft in the real widget (framed).
import { useEffect, useState } from "react";

export function PreviewPanel({ previewUrl, pickers, problems, onClose, onNode }) {
  const [choices, setChoices] = useState({ shopper: "new", customer: "", cart: [], page_url: "", utm_source: "" });
  const [running, setRunning] = useState(null);
  const [customers, setCustomers] = useState([]);
  useEffect(() => {
    pickers.searchCustomers("").then(setCustomers);
  }, []);
  useEffect(() => {
    const listen = (event) => {
      if (event.origin === location.origin && event.data && event.data.shopbotPreview === "node") onNode(event.data.id);
    };
    window.addEventListener("message", listen);
    return () => window.removeEventListener("message", listen);
  }, [onNode]);
  const set = (key, value) => setChoices({ ...choices, [key]: value });
  const start = () => {
    const query = new URLSearchParams();
    query.set("shopper", choices.shopper);
    if (choices.customer) query.set("customer", choices.customer);
    if (choices.cart.length) query.set("cart", choices.cart.join(","));
    if (choices.page_url) query.set("page_url", choices.page_url);
    if (choices.utm_source) query.set("utm_source", choices.utm_source);
    onNode("");
    setRunning(`${previewUrl}?${query.toString()}&run=${Date.now()}`);
  };
  return (
    <aside className="preview-panel" aria-label="Preview">
      <header><h2>Preview</h2><button type="button" className="link" onClick={onClose} aria-label="Close preview">×</button></header>
      <form className="preview-context" onSubmit={(e) => { e.preventDefault(); start(); }}>
        <fieldset>
          <legend>Shopper</legend>
          <label><input type="radio" name="shopper" checked={choices.shopper === "new"} onChange={() => set("shopper", "new")} /> New visitor</label>
          <label><input type="radio" name="shopper" checked={choices.shopper === "returning"} onChange={() => set("shopper", "returning")} /> Returning visitor</label>
        </fieldset>
        <label htmlFor="preview-customer">Logged in as</label>
        <select id="preview-customer" value={choices.customer} onChange={(e) => set("customer", e.target.value)}>
          <option value="">Nobody (anonymous)</option>
          {customers.map((c) => <option key={c.id} value={c.id}>{c.name || c.email} · {c.orders_count} order{c.orders_count === 1 ? "" : "s"}</option>)}
        </select>
        <label htmlFor="preview-cart">Cart</label>
        <select id="preview-cart" multiple value={choices.cart} onChange={(e) => set("cart", [...e.target.selectedOptions].map((o) => o.value))}>
          {pickers.products.map((p) => <option key={p.handle} value={p.handle}>{p.title}</option>)}
        </select>
        <label htmlFor="preview-page">Page URL</label>
        <input id="preview-page" type="text" placeholder="https://your-shop.com/products/…" value={choices.page_url} onChange={(e) => set("page_url", e.target.value)} />
        <label htmlFor="preview-utm">UTM source</label>
        <input id="preview-utm" type="text" placeholder="instagram" value={choices.utm_source} onChange={(e) => set("utm_source", e.target.value)} />
        <button type="submit">{running ? "Restart preview" : "Start preview"}</button>
      </form>
      {problems.length > 0 ? (
        <div className="preview-blocked" role="alert">
          <strong>Fix these before previewing:</strong>
          <ul>{problems.slice(0, 6).map((p, i) => <li key={i}>{p.node ? `${p.node}: ` : ""}{p.message}</li>)}</ul>
        </div>
      ) : running ? (
        <iframe className="preview-frame" title="Chat preview" src={running} />
      ) : (
        <p className="muted">The preview runs your draft — not the published flow — and stores nothing.</p>
      )}
    </aside>
  );
}
