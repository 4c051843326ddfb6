// The flow builder page: loads the flow, the node types and the pickers' data, then mounts the app.
import "@xyflow/react/dist/style.css";
import "./builder.css";
import { ReactFlowProvider } from "@xyflow/react";
import { createRoot } from "react-dom/client";
import { makeApi } from "./api.js";
import { App } from "./App.jsx";

async function boot(root) {
  const { api: base, flow: flowId, csrf, previewUrl, listUrl, funnelUrl, timezone, settingsUrl, discountCodes } = root.dataset;
  const api = makeApi(base, csrf);
  const optional = (path) => api.get(path).catch(() => []);
  const [flow, types, intents, faqs, collections, products, triggerKinds] = await Promise.all([
    api.get(`flows/${flowId}/`), api.get("node-types/"), optional("intents/?limit=500"), optional("faq-entries/?limit=500"),
    optional("catalog/collections/"), optional("catalog/products/"), optional("trigger-kinds/"),
  ]);
  const titles = new Map(products.map((p) => [p.handle, p.title]));
  const pickers = {
    intents: intents.results || intents, faqs: faqs.results || faqs, collections, products,
    productTitle: (handle) => titles.get(handle) || handle,
    searchProducts: async (text) => {
      const found = await optional(`catalog/products/?q=${encodeURIComponent(text)}`);
      found.forEach((p) => titles.set(p.handle, p.title));
      return found;
    },
    searchCustomers: (text) => optional(`catalog/customers/?q=${encodeURIComponent(text)}`),
  };
  createRoot(root).render(
    <ReactFlowProvider>
      <App api={api} flow={flow} types={types} pickers={pickers} previewUrl={previewUrl} listUrl={listUrl}
        triggerKinds={triggerKinds} funnelUrl={funnelUrl} timeZone={timezone}
        store={{ settingsUrl, discountCodes: discountCodes === "on" }} />
    </ReactFlowProvider>,
  );
}

const root = document.getElementById("flow-builder");
if (root) {
  boot(root).catch((error) => {
    root.innerHTML = "";
    const p = document.createElement("p");
    p.className = "load-error";
    p.textContent = `The builder could not load: ${error.message}. Reload the page to try again.`;
    root.append(p);
  });
}
