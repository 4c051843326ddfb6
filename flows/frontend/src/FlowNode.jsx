// A node card on the canvas: icon, label, readable summary, problems, one input and one handle per exit.
import { Handle, Position } from "@xyflow/react";
import { memo, useContext } from "react";
import { BuilderContext } from "./context.js";
import { FunnelBadge } from "./Funnel.jsx";
import { Icon } from "./icons.jsx";
import { portsOf } from "./graph.js";
import { summarize } from "./schema.js";

function FlowNode({ id, data, selected }) {
  const { types, errorsByNode, start, activeNode, funnel } = useContext(BuilderContext);
  const type = types[data.type];
  const ports = portsOf(type, data.config);
  const problems = errorsByNode[id] || [];
  const classes = ["flow-node", `group-${type ? type.group : "unknown"}`];
  if (selected) classes.push("selected");
  if (problems.length) classes.push("has-errors");
  if (activeNode === id) classes.push("active");
  return (
    <div className={classes.join(" ")} data-node-id={id} data-testid={`node-${id}`}>
      <Handle type="target" position={Position.Top} id="in" className="handle-in" />
      <header>
        <span className="node-icon"><Icon name={type ? type.icon : "dot"} /></span>
        <span className="node-label">{type ? type.label : `Unknown: ${data.type}`}</span>
        {start === id && <span className="start-badge">Start</span>}
        {problems.length > 0 && <span className="error-badge" title={problems.map((p) => p.message).join("\n")}>{problems.length}</span>}
      </header>
      <p className="node-summary">{summarize(type, data.config) || <em>{problems.length ? "Not set up yet" : "Default settings"}</em>}</p>
      {problems.length > 0 && <p className="node-problem">{problems[0].message}</p>}
      {funnel && <FunnelBadge row={funnel[id]} />}
      <div className="ports">
        {ports.map((port) => (
          <div key={port.id} className="port" title={port.label || "Next"}>
            {port.label && <span className="port-label">{port.label}</span>}
            <Handle type="source" position={Position.Bottom} id={port.id} className="handle-out" data-port={port.id} />
          </div>
        ))}
      </div>
    </div>
  );
}

export default memo(FlowNode);
