// Reading a node type's JSON schema (pydantic's): resolving $refs, a fresh node's starting config, and the
// readable one-line summary each card shows.

export function resolve(schema, root) {
  if (!schema) return {};
  if (schema.$ref) {
    const name = schema.$ref.split("/").pop();
    return resolve((root.$defs || {})[name], root);
  }
  if (schema.anyOf) {
    const real = schema.anyOf.find((s) => s.type !== "null");
    return { ...resolve(real, root), title: schema.title, description: schema.description, default: schema.default };
  }
  if (schema.allOf && schema.allOf.length === 1) return { ...resolve(schema.allOf[0], root), title: schema.title, description: schema.description };
  return schema;
}

export function slugify(text, fallback) {
  const slug = String(text || "").toLowerCase().replace(/[^a-z0-9]+/g, "_").replace(/^_+|_+$/g, "").slice(0, 40);
  return /^[a-z0-9]/.test(slug) ? slug : fallback;
}

export function initialValue(schema, root, index = 0) {
  const s = resolve(schema, root);
  if (s.default !== undefined) return JSON.parse(JSON.stringify(s.default));
  if (s.enum) return s.enum[0];
  if (s.type === "object" || s.properties) {
    const value = {};
    Object.entries(s.properties || {}).forEach(([key, prop]) => (value[key] = initialValue(prop, root, index)));
    if ("id" in value && (s.properties.id.pattern || "").includes("a-z")) value.id = `option_${index + 1}`;
    if ("title" in value && !value.title) value.title = `Option ${index + 1}`;
    if ("name" in value && !value.name) value.name = `Variant ${String.fromCharCode(65 + index)}`;
    return value;
  }
  if (s.type === "array") {
    const count = s.minItems || 0;
    return Array.from({ length: count }, (_, i) => initialValue(s.items, root, i));
  }
  if (s.type === "integer" || s.type === "number") return s.minimum !== undefined ? s.minimum : 0;
  if (s.type === "boolean") return false;
  return "";
}

export function initialConfig(nodeType) {
  return initialValue(nodeType.schema, nodeType.schema);
}

const TEXT_KEYS = ["text", "prompt", "message", "question", "answer"];

function clip(text, n = 90) {
  const t = String(text).replace(/\s+/g, " ").trim();
  return t.length > n ? `${t.slice(0, n - 1)}…` : t;
}

const OPS = {
  equals: "is", not_equals: "is not", contains: "contains", greater_than: ">", less_than: "<",
  is_set: "is set", is_not_set: "is not set", in_segment: "segment is", matches: "matches",
};

export function summarize(nodeType, config) {
  if (!config) return "";
  const lines = [];
  for (const key of TEXT_KEYS) {
    if (typeof config[key] === "string" && config[key].trim()) {
      lines.push(`“${clip(config[key])}”`);
      break;
    }
  }
  if (Array.isArray(config.rules)) {
    const joiner = config.match === "any" ? " or " : " and ";
    lines.push(config.rules.map((r) => clip(`${r.op === "in_segment" ? "contact" : r.value || "?"} ${OPS[r.op] || r.op} ${r.operand || ""}`, 50)).join(joiner));
  }
  if (Array.isArray(config.assignments)) lines.push(config.assignments.map((a) => `${a.target} = ${clip(a.value || "", 24)}`).join(", "));
  if (config.source) lines.push(config.source === "collection" ? `Collection: ${config.collection || "?"}` : config.source === "products" ? `${(config.products || []).length} picked products` : "Newest products");
  if (config.save_to) lines.push(`Saves to ${config.save_to}`);
  if (config.url) lines.push(`${config.method || "GET"} ${clip(config.url, 40)}`);
  if (config.experiment) lines.push(`Experiment: ${config.experiment}`);
  if (lines.length === 0 && nodeType) {
    const props = resolve(nodeType.schema, nodeType.schema).properties || {};
    for (const [key, prop] of Object.entries(props)) {
      const value = config[key];
      if ((typeof value === "string" && value) || typeof value === "number") lines.push(`${prop.title || key}: ${clip(value, 40)}`);
      if (lines.length === 2) break;
    }
  }
  return lines.join(" · ");
}
