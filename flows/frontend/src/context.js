import { createContext } from "react";

// What every node card needs without prop drilling: node types, problems by node, the start, the preview's node.
export const BuilderContext = createContext({ types: {}, errorsByNode: {}, start: "", activeNode: "" });
