// Shopbot chat widget: <script async src="https://HOST/w/shopbot.js" data-shopbot-key="pk_..."></script>
import { Connection } from "./connection.js";
import { translator } from "./i18n.js";
import { View } from "./ui.js";

function storageFor(key) {
  const prefix = `shopbot:${key}:`;
  return {
    get(name, fallback) {
      try {
        const raw = localStorage.getItem(prefix + name);
        return raw === null ? fallback : JSON.parse(raw);
      } catch (e) {
        return fallback;
      }
    },
    set(name, value) {
      try {
        localStorage.setItem(prefix + name, JSON.stringify(value));
      } catch (e) {
        /* private mode: the chat still works for this page */
      }
    },
  };
}

// The flow builder's preview: nothing kept in the browser, so each preview is a fresh shopper.
function memoryStorage() {
  const kept = {};
  return { get: (name, fallback) => (name in kept ? kept[name] : fallback), set: (name, value) => (kept[name] = value) };
}

function newId() {
  return `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 10)}`;
}

async function addToCart(settings, variantId, quantity) {
  if (typeof settings.addToCart === "function") return settings.addToCart(variantId, quantity);
  const platform = settings.platform || (window.Shopify ? "shopify" : "custom");
  let response;
  if (platform === "shopify") {
    response = await fetch("/cart/add.js", {
      method: "POST", headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ items: [{ id: Number(variantId), quantity }] }),
    });
  } else if (platform === "woocommerce") {
    const body = new URLSearchParams({ product_id: String(variantId), quantity: String(quantity) });
    response = await fetch("/?wc-ajax=add_to_cart", { method: "POST", body });
    const answer = response.ok ? await response.json().catch(() => ({})) : {};
    if (answer.error) throw new Error("the shop refused"); // WooCommerce says so with a 200
  } else {
    throw new Error("no cart on this page");
  }
  if (!response.ok) throw new Error(`cart answered ${response.status}`);
}

function start(script) {
  const key = script.getAttribute("data-shopbot-key");
  if (!key || document.getElementById("shopbot-widget")) return;
  const settings = window.shopbotSettings || {};
  const server = new URL(script.src, location.href);
  const socketUrl = settings.socketUrl || `${server.protocol === "https:" ? "wss" : "ws"}://${server.host}/ws/widget/${encodeURIComponent(key)}/`;
  const storage = settings.preview ? memoryStorage() : storageFor(key);
  let t = translator(settings.locale || document.documentElement.lang || navigator.language);
  const listeners = {};
  const emit = (name, data) => (listeners[name] || []).forEach((fn) => fn(data));
  const seen = new Set();
  let isOpen = Boolean(settings.preview) || storage.get("open", false);
  let unread = 0;
  let lastTyping = 0;
  let heldByAgent = false;

  const send = (type, fields) => conn.raw({ type, ...fields });
  const post = (frame, echo) => {
    view.message({ ...echo, sender: "shopper" }, { pending: true, key: `c:${frame.client_id}` });
    conn.post(frame);
  };

  const view = new View({
    t,
    onToggle: (want) => toggle(want === undefined ? !isOpen : want),
    onSend: (text) => {
      const client_id = newId();
      post({ type: "message", client_id, text }, { text });
    },
    onButton: (button) => {
      const client_id = newId();
      post({ type: "postback", client_id, payload: button.payload }, { text: button.title });
    },
    onTyping: () => {
      if (Date.now() - lastTyping > 3000) {
        lastTyping = Date.now();
        send("typing", { on: true });
      }
    },
    onAddToCart: async (card, variant, button) => {
      button.disabled = true;
      try {
        await addToCart(settings, variant.id, 1);
        button.textContent = t("added");
        send("event", { name: "added_to_cart", data: { product_id: String(card.product_id), variant_id: String(variant.id) } });
      } catch (e) {
        button.disabled = false;
        view.system(t("addFailed"));
      }
    },
    onProduct: (card) => send("event", { name: "product_clicked", data: { product_id: String(card.product_id) } }),
  });

  // byBot: a proactive message opened the chat; the shopper did not, so no widget_opened and no focus taken.
  function toggle(want, byBot) {
    isOpen = want;
    storage.set("open", isOpen);
    view.open(isOpen, !byBot);
    if (isOpen) {
      unread = 0;
      view.unread(0);
      view.tease("");
      if (!byBot) send("event", { name: "widget_opened" });
    }
    emit(isOpen ? "open" : "close");
  }

  function show(msg) {
    if (seen.has(msg.id)) return;
    seen.add(msg.id);
    if (msg.client_id && view.rows.has(`c:${msg.client_id}`)) view.rekey(`c:${msg.client_id}`, msg.id);
    else view.message(msg);
    conn.lastId = Math.max(conn.lastId, msg.id);
  }

  function onFrame(frame) {
    if (frame.type === "welcome") {
      storage.set("visitor", frame.visitor_token);
      if (frame.store) {
        view.brand(frame.store);
        if (!settings.locale && frame.store.locale) t = translator(frame.store.locale);
      }
      (frame.messages || []).forEach(show);
      conversation(frame.conversation || {}, true);
      send("event", { name: "page_view", data: { url: location.href, title: document.title, referrer: document.referrer } });
      emit("ready");
    } else if (frame.type === "ack") {
      view.rekey(`c:${frame.client_id}`, frame.id);
      seen.add(frame.id);
      conn.lastId = Math.max(conn.lastId, frame.id);
    } else if (frame.type === "message") {
      const fresh = !seen.has(frame.id);
      show(frame);
      view.typing.textContent = "";
      if (fresh && frame.sender !== "shopper") {
        emit("message", frame);
        if (!isOpen) view.unread(++unread);
        // A trigger or campaign spoke first: open the chat, or show the text in a bubble by the button.
        if (!isOpen && frame.proactive === "open") toggle(true, true);
        else if (!isOpen && frame.proactive) view.tease(frame.text || "");
      }
    } else if (frame.type === "conversation") {
      conversation(frame, false);
    } else if (frame.type === "typing") {
      view.typing.textContent = frame.on && frame.sender !== "shopper" ? t("typing", { name: frame.sender === "agent" ? "" : view.title.textContent }).trim() : "";
    } else if (frame.type === "node") {
      emit("node", frame); // the builder's preview: the node the chat is on
    } else if (frame.type === "preview_note") {
      view.system(frame.text); // the builder's preview: what would happen for real (a handoff, a wait)
    } else if (frame.type === "identified") {
      storage.set("visitor", frame.visitor_token);
    } else if (frame.type === "error" && frame.client_id) {
      view.system(t("notSent", { why: frame.message || "" }));
    }
  }

  function conversation(state, quiet) {
    const agent = state.held_by === "agent" && state.agent;
    if (agent && !heldByAgent && !quiet) view.system(t("joined", { name: agent.name || "" }));
    heldByAgent = Boolean(agent);
  }

  const conn = new Connection({
    url: socketUrl,
    storage,
    onFrame,
    onStatus: (kind) => view.setStatus(kind),
    hello: (lastId) => ({
      type: "hello",
      visitor_token: storage.get("visitor", null) || undefined,
      last_message_id: lastId || undefined,
      page: { url: location.href, title: document.title, referrer: document.referrer },
      customer: settings.customer || undefined,
      cart: settings.cart && JSON.stringify(settings.cart).length < 3500 ? settings.cart : undefined,
      locale: settings.locale || undefined,
    }),
  });

  const api = {
    open: () => toggle(true),
    close: () => toggle(false),
    toggle: () => toggle(!isOpen),
    identify: (customer) => send("identify", { customer }),
    setAttributes: (attributes) => send("attributes", { attributes }),
    track: (event, data) => send("event", { name: "custom", data: { event: String(event), data: data || {} } }),
    updateCart: (cart) => send("event", { name: "cart_updated", data: { cart } }),
    on: (name, fn) => (listeners[name] = listeners[name] || []).push(fn),
  };
  const queued = (window.Shopbot && window.Shopbot.q) || [];
  const run = ([name, ...args]) => api[name] && api[name](...args);
  api.q = { push: run }; // a page that keeps using Shopbot.q.push(...) after load still works
  window.Shopbot = api;
  document.body.append(view.host);
  view.brand({ brand_color: "#4f46e5" });
  view.open(isOpen);
  conn.connect();
  // Listeners register at once; calls that send frames wait for the first welcome.
  queued.filter(([name]) => name === "on").forEach(run);
  const waiting = queued.filter(([name]) => name !== "on");
  api.on("ready", () => waiting.splice(0).forEach(run));
  window.addEventListener("offline", () => conn.reset());
  // Page events for proactive triggers, throttled here (the server rate-limits too): exit intent at most
  // every 20 s, time on page at a few milestones, scroll depth once per quarter of the page.
  let exitAt = 0;
  document.addEventListener("mouseout", (e) => {
    if (!e.relatedTarget && e.clientY <= 0 && Date.now() - exitAt > 20000) {
      exitAt = Date.now();
      send("event", { name: "exit_intent" });
    }
  });
  const shownAt = Date.now();
  const seconds = () => Math.round((Date.now() - shownAt) / 1000);
  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState === "hidden") send("event", { name: "time_on_page", data: { seconds: seconds() } });
  });
  [5, 10, 15, 20, 30, 45, 60, 90, 120, 180, 300, 600].forEach((at) => setTimeout(() => {
    if (document.visibilityState !== "hidden") send("event", { name: "time_on_page", data: { seconds: at } });
  }, at * 1000));
  let deepest = 0;
  window.addEventListener("scroll", () => {
    const page = document.documentElement.scrollHeight;
    const quarter = Math.floor(((window.scrollY + window.innerHeight) / page) * 4) * 25;
    if (quarter > deepest && page > window.innerHeight) {
      deepest = quarter;
      send("event", { name: "scroll", data: { percent: Math.min(100, quarter) } });
    }
  }, { passive: true });
}

const script = document.currentScript || document.querySelector("script[data-shopbot-key]");
if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", () => start(script));
else start(script);
