// Trigger settings: which events start this flow by itself, its priority, caps and how it shows, through the
// flow's triggers API (`GET/PUT flows/<id>/triggers/`). Each kind's settings form is made from its JSON schema
// (`GET trigger-kinds/`); the server's refusal comes back per field (`triggers.<i>.<field>`) and is shown there.
import { useEffect, useState } from "react";
import { ObjectFields } from "./Panel.jsx";
import { initialValue, resolve } from "./schema.js";

const DISPLAYS = [["teaser", "A bubble by the chat button"], ["open", "Open the chat"]];

function kindLabel(kinds, name) {
  const kind = kinds.find((k) => k.kind === name);
  return kind ? kind.label : name;
}

// "Time on page: 30 s" — the kind and its settings in a few words, for the palette's list.
export function describeTrigger(trigger, kinds) {
  const kind = kinds.find((k) => k.kind === trigger.kind);
  const props = kind ? resolve(kind.schema, kind.schema).properties || {} : {};
  const parts = Object.entries(trigger.config || {})
    .filter(([, v]) => v !== "" && v !== null && v !== false && v !== undefined)
    .map(([key, v]) => `${(props[key] && props[key].title) || key} ${v === true ? "" : String(v).replace(/_/g, " ")}`.trim());
  return parts.length ? `${kindLabel(kinds, trigger.kind)}: ${parts.join(", ")}` : kindLabel(kinds, trigger.kind);
}

function newTrigger(kinds) {
  const kind = kinds[0];
  return { kind: kind.kind, config: initialValue(kind.schema, kind.schema), priority: 0, cap_per_day: 1,
    cap_per_shopper: null, display: "teaser", enabled: true };
}

// `{"triggers.1.config.seconds": ["…"], "triggers": ["Trigger 2: …"]}` -> {1: [{field: "config.seconds", message}]}
export function errorsByTrigger(errors) {
  const by = {};
  let placed = false;
  Object.entries(errors || {}).forEach(([key, messages]) => {
    const match = /^triggers\.(\d+)(?:\.(.+))?$/.exec(key);
    if (!match) return;
    placed = true;
    (by[match[1]] = by[match[1]] || []).push(...[].concat(messages).map((m) => ({ field: match[2] || "", message: m })));
  });
  // Anything else (too many triggers, a list the server could not read) is shown above the list, as text.
  const flat = (value) => (typeof value === "string" ? [value] : Object.values(value || {}).flatMap(flat));
  const general = placed ? [] : flat([(errors || {}).triggers, (errors || {}).non_field_errors]);
  return { by, general };
}

function NumberSetting({ id, label, value, onChange, min, max, problems, placeholder }) {
  return (
    <div className={`field${problems.length ? " invalid" : ""}`} data-field={id}>
      <label htmlFor={id}>{label}</label>
      <input id={id} type="number" step={1} min={min} max={max} value={value ?? ""} placeholder={placeholder}
        onChange={(e) => onChange(e.target.value === "" ? null : Number(e.target.value))} />
      {problems.length > 0 && <ul className="field-errors">{problems.map((p, i) => <li key={i}>{p.message}</li>)}</ul>}
    </div>
  );
}

function TriggerForm({ index, trigger, kinds, errors, pickers, onChange, onRemove }) {
  const kind = kinds.find((k) => k.kind === trigger.kind);
  const prefix = `t${index}`;
  const at = (field) => errors.filter((e) => e.field === field);
  const set = (key, value) => onChange({ ...trigger, [key]: value });
  const changeKind = (name) => {
    const next = kinds.find((k) => k.kind === name);
    onChange({ ...trigger, kind: name, config: initialValue(next.schema, next.schema) });
  };
  const general = errors.filter((e) => !e.field || e.field === "config");
  const configErrors = errors.filter((e) => e.field.startsWith("config.")).map((e) => ({ ...e, field: `${prefix}.${e.field}` }));
  return (
    <li className={`trigger${trigger.enabled ? "" : " disabled"}`} data-testid={`trigger-${index}`}>
      <div className={`field${at("kind").length ? " invalid" : ""}`}>
        <label htmlFor={`${prefix}-kind`}>Starts when</label>
        <select id={`${prefix}-kind`} value={trigger.kind} onChange={(e) => changeKind(e.target.value)}>
          {!kind && <option value={trigger.kind}>{trigger.kind}</option>}
          {kinds.map((k) => <option key={k.kind} value={k.kind}>{k.label}</option>)}
        </select>
        {at("kind").length > 0 && <ul className="field-errors">{at("kind").map((p, i) => <li key={i}>{p.message}</li>)}</ul>}
      </div>
      {general.length > 0 && <ul className="field-errors">{general.map((p, i) => <li key={i}>{p.message}</li>)}</ul>}
      {kind && (
        <ObjectFields schema={resolve(kind.schema, kind.schema)} root={kind.schema} value={trigger.config || {}}
          path={`${prefix}.config`} errors={configErrors} pickers={pickers} onChange={(config) => set("config", config)} />
      )}
      <div className="trigger-limits">
        <NumberSetting id={`${prefix}-priority`} label="Priority" value={trigger.priority} min={-1000} max={1000}
          problems={at("priority")} onChange={(v) => set("priority", v ?? 0)} />
        <NumberSetting id={`${prefix}-cap_per_day`} label="Per shopper a day" value={trigger.cap_per_day} min={1} max={10}
          problems={at("cap_per_day")} onChange={(v) => set("cap_per_day", v ?? 1)} />
        <NumberSetting id={`${prefix}-cap_per_shopper`} label="Per shopper in all" value={trigger.cap_per_shopper} min={1} max={100}
          placeholder="No limit" problems={at("cap_per_shopper")} onChange={(v) => set("cap_per_shopper", v)} />
      </div>
      <small className="muted limits-help">When several triggers match at once, the highest priority speaks.</small>
      <div className={`field${at("display").length ? " invalid" : ""}`}>
        <label htmlFor={`${prefix}-display`}>Show it as</label>
        <select id={`${prefix}-display`} value={trigger.display} onChange={(e) => set("display", e.target.value)}>
          {DISPLAYS.map(([value, text]) => <option key={value} value={value}>{text}</option>)}
        </select>
      </div>
      <div className="trigger-footer">
        <label><input type="checkbox" checked={trigger.enabled} onChange={(e) => set("enabled", e.target.checked)} /> Enabled</label>
        <button type="button" className="link danger-text" onClick={onRemove}>Remove trigger</button>
      </div>
    </li>
  );
}

// The side panel: edit the list, then save it as a whole (the API replaces a flow's triggers in one go).
export function TriggersPanel({ api, flow, kinds, saved, onSaved, pickers, onClose, store, makesCodes }) {
  const [draft, setDraft] = useState(saved);
  const [errors, setErrors] = useState({ by: {}, general: [] });
  const [state, setState] = useState("");
  useEffect(() => setDraft(saved), [saved]);
  const dirty = JSON.stringify(draft) !== JSON.stringify(saved);
  const change = (index, trigger) => setDraft(draft.map((t, i) => (i === index ? trigger : t)));
  const save = async () => {
    setState("saving");
    try {
      const answer = await api.put(`flows/${flow.id}/triggers/`, { triggers: draft.map(({ id, ...spec }) => spec) });
      setErrors({ by: {}, general: [] });
      setState("saved");
      onSaved(answer.triggers);
    } catch (error) {
      setState("error");
      const found = errorsByTrigger(error.body && error.body.errors);
      if (!Object.keys(found.by).length && !found.general.length) found.general = [error.message];
      setErrors(found);
    }
  };
  return (
    <aside className="side-panel triggers-panel" aria-label="Triggers">
      <header>
        <h2>Triggers</h2>
        <button type="button" className="link" onClick={onClose} aria-label="Close triggers">×</button>
      </header>
      <p className="type-help">
        Start this flow by itself when a shopper does something, or when there is news for them. It never
        interrupts a chat in progress, and one shopper gets at most one such message per cooldown.
      </p>
      {!flow.published_version && <p className="notice">This flow is not published: its triggers fire once it is.</p>}
      {makesCodes && !store.discountCodes && (
        <p className="notice" data-testid="codes-off">
          This flow offers a unique discount code, but the store does not let flows create codes: shoppers would
          get no code. <a href={store.settingsUrl}>Allow discount codes in the settings</a> before enabling its triggers.
        </p>
      )}
      {errors.general.length > 0 && <ul className="field-errors" role="alert">{errors.general.map((m, i) => <li key={i}>{m}</li>)}</ul>}
      {kinds.length === 0 ? <p className="muted">The trigger kinds could not be loaded. Reload the page to try again.</p> : (
        <>
          {draft.length === 0 && <p className="muted">No triggers: this flow starts only as the default flow or from a jump.</p>}
          <ol className="triggers">
            {draft.map((trigger, index) => (
              <TriggerForm key={index} index={index} trigger={trigger} kinds={kinds} errors={errors.by[index] || []}
                pickers={pickers} onChange={(t) => change(index, t)} onRemove={() => setDraft(draft.filter((_, i) => i !== index))} />
            ))}
          </ol>
          {draft.length < 20 && <button type="button" className="secondary add" onClick={() => setDraft([...draft, newTrigger(kinds)])}>+ Add trigger</button>}
        </>
      )}
      <footer>
        <span className="muted" role="status" data-testid="triggers-state">
          {state === "saving" ? "Saving…" : state === "error" ? "Not saved: see the problems above." : dirty ? "Unsaved changes" : state === "saved" ? "Triggers saved" : ""}
        </span>
        <button type="button" onClick={save} disabled={state === "saving" || kinds.length === 0}>Save triggers</button>
      </footer>
    </aside>
  );
}

// Under the palette: what starts this flow, and the way to change it.
export function TriggersSection({ isDefault, triggers, kinds, onEdit }) {
  return (
    <section className="triggers-section" id="flow-triggers" aria-label="Triggers">
      <h3>Triggers</h3>
      {isDefault && <p className="muted">The default flow: every new chat starts here.</p>}
      {triggers === null ? <p className="muted">Loading…</p> : triggers.length === 0 ? (
        <p className="muted">{isDefault ? "No event starts it by itself." : "Starts only when another flow jumps to it."}</p>
      ) : (
        <ul className="trigger-list">
          {triggers.map((t) => (
            <li key={t.id} className={t.enabled ? "" : "disabled"}>
              {describeTrigger(t, kinds)}{!t.enabled && <span className="off"> (off)</span>}
            </li>
          ))}
        </ul>
      )}
      <button type="button" className="secondary add" onClick={onEdit}>Edit triggers</button>
    </section>
  );
}
