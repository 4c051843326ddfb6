// Trigger settings (which events start this flow, its priority and frequency cap) live here. The trigger model
// and its REST API are their own piece of work (issue 9 B); this section is where their form plugs in.
export function TriggersSection({ isDefault }) {
  return (
    <section className="triggers-section" id="flow-triggers" aria-label="Triggers">
      <h3>Triggers</h3>
      <p className="muted">
        {isDefault ? "This is the default flow: every new chat starts here." : "This flow starts when another flow jumps to it."}
        {" "}Event triggers, priority and frequency caps will be set here.
      </p>
    </section>
  );
}
