// The widget's DOM, built with textContent and properties only: no server or shopper text is ever HTML.
import { CSS } from "./style.js";

export function h(tag, props, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(props || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key.startsWith("on")) el.addEventListener(key.slice(2), value);
    else if (key === "class") el.className = value;
    else if (key in el && typeof value !== "string") el[key] = value;
    else el.setAttribute(key, value === true ? "" : value);
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return el;
}

const ICON = "M4 4h16a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H8l-4 4V6a2 2 0 0 1 2-2z";

export class View {
  constructor({ t, onSend, onToggle, onButton, onAddToCart, onProduct, onTyping }) {
    Object.assign(this, { t, onSend, onToggle, onButton, onAddToCart, onProduct, onTyping });
    this.host = h("div", { id: "shopbot-widget" });
    const root = this.host.attachShadow({ mode: "open" });
    const svg = document.createElementNS("http://www.w3.org/2000/svg", "svg");
    svg.setAttribute("viewBox", "0 0 24 24");
    svg.setAttribute("aria-hidden", "true");
    const path = document.createElementNS("http://www.w3.org/2000/svg", "path");
    path.setAttribute("d", ICON);
    svg.append(path);
    this.badge = h("span", { class: "badge", hidden: true });
    this.launcher = h("button", { class: "launcher", "aria-label": t("open"), onclick: () => onToggle() }, svg, this.badge);
    this.avatar = h("img", { alt: "", hidden: true });
    this.title = h("h2", {}, "");
    this.status = h("div", { class: "status", role: "status", hidden: true });
    this.log = h("div", { class: "log", role: "log", "aria-live": "polite" });
    this.typing = h("div", { class: "typing", "aria-live": "polite" });
    this.input = h("textarea", { "aria-label": t("placeholder"), placeholder: t("placeholder"), maxLength: 4000 });
    this.input.addEventListener("keydown", (e) => {
      if (e.key === "Enter" && !e.shiftKey) {
        e.preventDefault();
        this.submit();
      }
    });
    this.input.addEventListener("input", () => onTyping());
    const form = h("form", { onsubmit: (e) => (e.preventDefault(), this.submit()) }, this.input,
      h("button", { type: "submit" }, t("send")));
    this.panel = h("section", { class: "panel", role: "dialog", "aria-label": t("title", { name: "" }), hidden: true },
      h("header", {}, this.avatar, this.title, h("button", { "aria-label": t("close"), onclick: () => onToggle(false) }, "×")),
      this.status, this.log, this.typing, form);
    this.panel.addEventListener("keydown", (e) => e.key === "Escape" && onToggle(false));
    // A proactive message while the chat is closed: its text in a bubble by the launcher (click opens the chat).
    this.teaserText = h("span", {});
    this.teaser = h("div", { class: "teaser", role: "status", hidden: true },
      h("button", { class: "tx", type: "button", onclick: () => onToggle(true) }, this.teaserText),
      h("button", { class: "tclose", type: "button", "aria-label": t("close"), onclick: () => this.tease("") }, "×"));
    root.append(h("style", {}, CSS), this.teaser, this.launcher, this.panel);
    this.rows = new Map();
  }

  brand(store) {
    if (!store) return;
    this.host.style.setProperty("--brand", /^#[0-9a-f]{6}$/i.test(store.brand_color || "") ? store.brand_color : "#4f46e5");
    this.title.textContent = store.bot_name || store.name || "";
    this.panel.setAttribute("aria-label", this.t("title", { name: store.bot_name || store.name || "" }));
    if (store.avatar_url) {
      this.avatar.src = store.avatar_url;
      this.avatar.hidden = false;
    }
  }

  submit() {
    const text = this.input.value.trim();
    if (!text) return;
    this.input.value = "";
    this.onSend(text);
  }

  open(isOpen, focus = true) {
    this.panel.hidden = !isOpen;
    this.launcher.setAttribute("aria-label", this.t(isOpen ? "close" : "open"));
    if (isOpen) {
      if (focus) this.input.focus();
      this.scroll();
    }
  }

  tease(text) {
    this.teaserText.textContent = text.length > 140 ? `${text.slice(0, 139)}…` : text;
    this.teaser.hidden = !text;
  }

  unread(n) {
    this.badge.hidden = !n;
    this.badge.textContent = n > 9 ? "9+" : String(n);
    this.badge.setAttribute("aria-label", this.t("unread", { n }));
  }

  setStatus(kind) {
    this.status.hidden = kind === "online";
    this.status.textContent = kind === "online" ? "" : this.t(kind);
  }

  scroll() {
    this.log.scrollTop = this.log.scrollHeight;
  }

  system(text) {
    this.log.append(h("div", { class: "system" }, text));
    this.scroll();
  }

  // Adds or updates one message row; key is the message id, or "c:<client id>" while pending.
  message(msg, { pending = false, key } = {}) {
    const id = key || String(msg.id);
    let row = this.rows.get(id);
    if (!row) {
      row = this.render(msg);
      this.rows.set(id, row);
      this.insert(row, msg.id);
    }
    row.bubble.classList.toggle("pending", pending);
    this.scroll();
    return row;
  }

  insert(row, id) {
    row.el.dataset.id = id || "";
    const later = id && [...this.log.children].find((el) => el.dataset.id && Number(el.dataset.id) > id);
    later ? this.log.insertBefore(row.el, later) : this.log.append(row.el);
  }

  rekey(oldKey, id) {
    const row = this.rows.get(oldKey);
    if (!row) return;
    this.rows.delete(oldKey);
    this.rows.set(String(id), row);
    row.el.dataset.id = id;
    row.bubble.classList.remove("pending");
  }

  render(msg) {
    const sender = ["shopper", "bot", "agent"].includes(msg.sender) ? msg.sender : "bot";
    const bubble = h("div", { class: `msg ${sender}` }, msg.text || "");
    if (msg.image_url) bubble.append(h("img", { class: "pic", src: msg.image_url, alt: "" }));
    const el = h("div", { style: "display:flex;flex-direction:column;gap:6px" });
    if (sender === "agent" && msg.author && msg.author.name) el.append(h("div", { class: "author" }, msg.author.name));
    el.append(bubble);
    if (Array.isArray(msg.cards) && msg.cards.length) el.append(this.cards(msg.cards));
    if (Array.isArray(msg.buttons) && msg.buttons.length) {
      el.append(h("div", { class: "replies" }, msg.buttons.map((b) =>
        h("button", { type: "button", onclick: () => this.onButton(b) }, b.title || ""))));
    }
    return { el, bubble };
  }

  cards(cards) {
    return h("div", { class: "cards", role: "list", "aria-label": this.t("products") }, cards.map((card) => this.card(card)));
  }

  card(card) {
    const variants = Array.isArray(card.variants) && card.variants.length > 1 ? card.variants : null;
    const price = h("div", { class: "price" }, money(card.price, card.currency));
    const stock = h("div", { class: "stock" });
    const add = h("button", { type: "button" }, this.t("add"));
    let chosen = { id: card.variant_id || card.product_id, in_stock: card.in_stock, price: card.price };
    const show = () => {
      price.textContent = money(chosen.price, card.currency);
      stock.textContent = this.t(chosen.in_stock ? "inStock" : "outOfStock");
      stock.classList.toggle("out", !chosen.in_stock);
      add.disabled = !chosen.in_stock || !chosen.id;
    };
    const picker = variants && h("select", { "aria-label": this.t("variant"), onchange: (e) => {
      chosen = variants.find((v) => String(v.id) === e.target.value) || chosen;
      show();
    } }, variants.map((v) => h("option", { value: String(v.id) }, v.title || "")));
    if (picker) chosen = variants.find((v) => String(v.id) === String(card.variant_id)) || variants[0];
    if (picker) picker.value = String(chosen.id);
    add.addEventListener("click", () => this.onAddToCart(card, chosen, add));
    show();
    const link = /^(https?:\/\/|\/[^/\\])/i.test(card.url || "") ? card.url : null;
    const clicked = () => this.onProduct(card);
    return h("div", { class: "card", role: "listitem" },
      card.image_url ? h("img", { src: card.image_url, alt: card.title || "", loading: "lazy" }) : null,
      h("div", { class: "body" }, h("h3", {}, card.title || ""), price, stock, picker,
        h("div", { class: "actions" }, link ? h("a", { href: link, onclick: clicked }, this.t("view")) : null, add)));
  }
}

export function money(amount, currency) {
  const value = Number(amount);
  if (!Number.isFinite(value)) return String(amount || "");
  try {
    return new Intl.NumberFormat(undefined, { style: "currency", currency: currency || "USD" }).format(value);
  } catch (e) {
    return `${value.toFixed(2)} ${currency || ""}`.trim();
  }
}
