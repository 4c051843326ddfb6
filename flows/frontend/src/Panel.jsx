// The side panel: a form generated from the node type's JSON schema, with pickers for variables, catalog
// products and collections, intents and FAQ answers, and the problems the server found on each field.
import { useRef, useState } from "react";
import { resolve, initialValue } from "./schema.js";

export const CONTEXT_PATHS = [
  "contact.first_name", "contact.name", "contact.email", "contact.phone", "contact.segment", "contact.returning",
  "contact.visits", "contact.tags", "customer.first_name", "customer.name", "customer.email", "customer.orders_count",
  "customer.amount_spent", "orders.0.name", "orders.0.fulfillment_status", "orders.0.total", "cart.total",
  "cart.currency", "cart.items", "page.url", "page.title", "page.referrer", "page.utm_source", "store.name",
  "store.bot_name", "intent", "entities.product", "entities.color", "entities.size",
];
const SEGMENTS = ["new", "returning", "loyal", "high_value"];
const LONG_TEXT = ["text", "prompt", "message", "answer", "body", "retry_text", "rating_prompt"];

function problemsAt(errors, path, exact) {
  return errors.filter((e) => (exact ? e.field === path : e.field === path || (e.field || "").startsWith(`${path}.`)));
}

function Problems({ list }) {
  if (!list.length) return null;
  return <ul className="field-errors">{list.map((e, i) => <li key={i}>{e.message}</li>)}</ul>;
}

function VariablePicker({ onPick, pickers }) {
  return (
    <select className="variable-picker" aria-label="Insert a variable" value=""
      onChange={(e) => e.target.value && onPick(e.target.value)}>
      <option value="">Insert variable…</option>
      <optgroup label="Personalization">
        {[...CONTEXT_PATHS, ...pickers.vars.map((v) => `vars.${v}`)].map((p) => (
          <option key={p} value={`{{ ${p} }}`}>{p}</option>
        ))}
      </optgroup>
      {pickers.faqs.length > 0 && (
        <optgroup label="FAQ answers">
          {pickers.faqs.map((f) => <option key={f.id} value={f.answer}>{(f.questions || [])[0] || f.answer.slice(0, 40)}</option>)}
        </optgroup>
      )}
    </select>
  );
}

function TextField({ name, value, onChange, schema, pickers, id }) {
  const ref = useRef(null);
  const long = LONG_TEXT.includes(name);
  const insert = (snippet) => {
    const el = ref.current;
    const at = el ? el.selectionStart ?? value.length : value.length;
    const end = el ? el.selectionEnd ?? at : at;
    onChange(value.slice(0, at) + snippet + value.slice(end));
  };
  const props = { id, ref, value: value ?? "", maxLength: schema.maxLength, onChange: (e) => onChange(e.target.value) };
  return (
    <div className="text-field">
      {long ? <textarea rows={3} {...props} /> : <input type="text" {...props} />}
      {long && <VariablePicker onPick={insert} pickers={pickers} />}
    </div>
  );
}

function ProductPicker({ value, onChange, pickers }) {
  const [query, setQuery] = useState("");
  const [found, setFound] = useState([]);
  const search = async (text) => {
    setQuery(text);
    setFound(await pickers.searchProducts(text));
  };
  const chosen = value || [];
  return (
    <div className="product-picker">
      <ul className="chips">
        {chosen.map((handle) => (
          <li key={handle}>{pickers.productTitle(handle)} <button type="button" aria-label={`Remove ${handle}`} onClick={() => onChange(chosen.filter((h) => h !== handle))}>×</button></li>
        ))}
      </ul>
      <input type="search" placeholder="Search the synced catalog" value={query} onChange={(e) => search(e.target.value)} onFocus={() => search(query)} />
      {found.length > 0 && (
        <ul className="picker-results">
          {found.filter((p) => !chosen.includes(p.handle)).slice(0, 8).map((p) => (
            <li key={p.handle}><button type="button" onClick={() => onChange([...chosen, p.handle])}>{p.title}</button></li>
          ))}
        </ul>
      )}
    </div>
  );
}

function pickerFor(name, parent, pickers) {
  if (name === "collection") return pickers.collections.map((c) => [c.handle, c.title]);
  if (name === "intent") return pickers.intents.map((i) => [i.name, i.name]);
  if (name === "faq_id") return pickers.faqs.map((f) => [f.id, (f.questions || [])[0] || `FAQ ${f.id}`]);
  if (name === "operand" && parent && parent.value === "intent") return pickers.intents.map((i) => [i.name, i.name]);
  if (name === "operand" && parent && parent.op === "in_segment") return SEGMENTS.map((s) => [s, s.replace("_", " ")]);
  return null;
}

export function Field({ name, schema: raw, root, value, onChange, path, errors, pickers, parent }) {
  const schema = resolve(raw, root);
  const id = `f-${path.replace(/\W/g, "-")}`;
  const label = schema.title || name;
  const own = problemsAt(errors, path, schema.type !== "array" && schema.type !== "object");
  let control;
  const choices = pickerFor(name, parent, pickers);
  if (choices) {
    const known = choices.some(([v]) => String(v) === String(value));
    control = (
      <select id={id} value={value ?? ""} onChange={(e) => onChange(typeof value === "number" ? Number(e.target.value) : e.target.value)}>
        <option value="">Choose…</option>
        {!known && value !== "" && value != null && <option value={value}>{String(value)}</option>}
        {choices.map(([v, text]) => <option key={v} value={v}>{text}</option>)}
      </select>
    );
  } else if (schema.enum) {
    control = (
      <select id={id} value={value ?? ""} onChange={(e) => onChange(e.target.value)}>
        {schema.enum.map((v) => <option key={v} value={v}>{String(v).replace(/_/g, " ")}</option>)}
      </select>
    );
  } else if (schema.type === "boolean") {
    return (
      <div className="field checkbox">
        <label><input id={id} type="checkbox" checked={Boolean(value)} onChange={(e) => onChange(e.target.checked)} /> {label}</label>
        {schema.description && <small>{schema.description}</small>}
        <Problems list={own} />
      </div>
    );
  } else if (schema.type === "integer" || schema.type === "number") {
    control = <input id={id} type="number" value={value ?? ""} min={schema.minimum} max={schema.maximum}
      step={schema.type === "integer" ? 1 : "any"} onChange={(e) => onChange(e.target.value === "" ? null : Number(e.target.value))} />;
  } else if (schema.type === "array") {
    const items = resolve(schema.items, root);
    if (name === "products") control = <ProductPicker value={value} onChange={onChange} pickers={pickers} />;
    else control = <ListField items={items} schema={schema} root={root} value={value || []} onChange={onChange} path={path} errors={errors} pickers={pickers} />;
  } else if (schema.type === "object" || schema.properties) {
    control = <ObjectFields schema={schema} root={root} value={value || {}} onChange={onChange} path={path} errors={errors} pickers={pickers} />;
  } else if (name === "value" && parent && "op" in parent) {
    control = (
      <>
        <input id={id} type="text" list="context-paths" value={value ?? ""} onChange={(e) => onChange(e.target.value)} placeholder="contact.first_name" />
        <datalist id="context-paths">{[...CONTEXT_PATHS, ...pickers.vars.map((v) => `vars.${v}`)].map((p) => <option key={p} value={p} />)}</datalist>
      </>
    );
  } else {
    control = <TextField id={id} name={name} value={value ?? ""} onChange={onChange} schema={schema} pickers={pickers} />;
  }
  return (
    <div className={`field${own.length ? " invalid" : ""}`} data-field={path}>
      <label htmlFor={id}>{label}</label>
      {control}
      {schema.description && schema.type !== "object" && <small>{schema.description}</small>}
      <Problems list={own} />
    </div>
  );
}

export function ObjectFields({ schema, root, value, onChange, path, errors, pickers }) {
  const props = schema.properties || {};
  return (
    <div className="object-fields">
      {Object.entries(props).map(([key, prop]) => (
        <Field key={key} name={key} schema={prop} root={root} value={value[key]} parent={value} path={`${path}.${key}`}
          errors={errors} pickers={pickers} onChange={(v) => onChange({ ...value, [key]: v })} />
      ))}
    </div>
  );
}

function ListField({ items, schema, root, value, onChange, path, errors, pickers }) {
  const max = schema.maxItems ?? 50;
  const min = schema.minItems ?? 0;
  const isObject = items.type === "object" || items.properties;
  const add = () => {
    const item = initialValue(items, root, value.length);
    if (isObject && "id" in item) {
      const taken = new Set(value.map((v) => v.id));
      let n = value.length + 1;
      while (taken.has(`option_${n}`)) n++;
      item.id = `option_${n}`;
      if ("title" in item) item.title = `Option ${n}`;
    }
    onChange([...value, item]);
  };
  return (
    <div className="list-field">
      <ol>
        {value.map((item, index) => (
          <li key={index} className={isObject ? "list-item object" : "list-item"}>
            {isObject ? (
              <ObjectFields schema={items} root={root} value={item} path={`${path}.${index}`} errors={errors} pickers={pickers}
                onChange={(v) => onChange(value.map((old, i) => (i === index ? v : old)))} />
            ) : (
              <input type="text" value={item ?? ""} aria-label={`${schema.title || "Item"} ${index + 1}`}
                onChange={(e) => onChange(value.map((old, i) => (i === index ? e.target.value : old)))} />
            )}
            <button type="button" className="remove" disabled={value.length <= min} aria-label="Remove"
              onClick={() => onChange(value.filter((_, i) => i !== index))}>Remove</button>
          </li>
        ))}
      </ol>
      {value.length < max && <button type="button" className="secondary add" onClick={add}>+ Add {(schema.title || "item").replace(/s$/, "").toLowerCase()}</button>}
    </div>
  );
}

export function NodePanel({ node, type, errors, onChange, onStart, onDelete, isStart, pickers }) {
  if (!type) return <aside className="side-panel"><p>Unknown node type {node.data.type}.</p></aside>;
  const schema = resolve(type.schema, type.schema);
  const general = errors.filter((e) => !e.field || e.field === "config" || e.field === "id" || e.field === "type");
  return (
    <aside className="side-panel" aria-label="Edit step">
      <header>
        <h2>{type.label}</h2>
        <code className="node-id">{node.id}</code>
      </header>
      {type.description && <p className="type-help">{type.description}</p>}
      <Problems list={general} />
      <ObjectFields schema={schema} root={type.schema} value={node.data.config} path="config" errors={errors}
        pickers={pickers} onChange={onChange} />
      <footer>
        {isStart ? <span className="muted">The flow starts here.</span> : <button type="button" className="secondary" onClick={onStart}>Start the flow here</button>}
        <button type="button" className="danger" onClick={onDelete}>Delete step</button>
      </footer>
    </aside>
  );
}
