// Widget strings. English is the fallback; the store's locale (or the page's) picks the language.
const STRINGS = {
  en: {
    open: "Open chat", close: "Close chat", placeholder: "Type a message…", send: "Send",
    reconnecting: "Reconnecting…", unavailable: "Chat is unavailable right now. We'll keep trying.",
    typing: "{name} is typing…", joined: "{name} joined the chat", view: "View", add: "Add to cart",
    added: "Added to cart", addFailed: "Could not add it to the cart.", inStock: "In stock",
    outOfStock: "Out of stock", unread: "{n} unread", notSent: "Not sent: {why}", you: "You",
    title: "Chat with {name}", products: "Products", variant: "Option",
  },
  de: {
    open: "Chat öffnen", close: "Chat schließen", placeholder: "Nachricht schreiben…", send: "Senden",
    reconnecting: "Verbindung wird wiederhergestellt…",
    unavailable: "Der Chat ist gerade nicht erreichbar. Wir versuchen es weiter.",
    typing: "{name} schreibt…", joined: "{name} ist dem Chat beigetreten", view: "Ansehen",
    add: "In den Warenkorb", added: "Im Warenkorb", addFailed: "Konnte nicht in den Warenkorb gelegt werden.",
    inStock: "Auf Lager", outOfStock: "Ausverkauft", unread: "{n} ungelesen", notSent: "Nicht gesendet: {why}",
    you: "Du", title: "Chat mit {name}", products: "Produkte", variant: "Variante",
  },
  fr: {
    open: "Ouvrir le chat", close: "Fermer le chat", placeholder: "Écrivez un message…", send: "Envoyer",
    reconnecting: "Reconnexion…", unavailable: "Le chat est indisponible pour le moment. Nous réessayons.",
    typing: "{name} écrit…", joined: "{name} a rejoint la conversation", view: "Voir", add: "Ajouter au panier",
    added: "Ajouté au panier", addFailed: "Impossible de l'ajouter au panier.", inStock: "En stock",
    outOfStock: "Rupture de stock", unread: "{n} non lus", notSent: "Non envoyé : {why}", you: "Vous",
    title: "Discuter avec {name}", products: "Produits", variant: "Option",
  },
};

export function translator(locale) {
  const lang = String(locale || "en").slice(0, 2).toLowerCase();
  const table = STRINGS[lang] || STRINGS.en;
  return (key, vars) =>
    (table[key] || STRINGS.en[key] || key).replace(/\{(\w+)\}/g, (_, name) => (vars && name in vars ? vars[name] : ""));
}
