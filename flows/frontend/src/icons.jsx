// Stroke icons for node types (a type names one with ICON; an unknown name shows a dot).
const PATHS = {
  message: "M4 5h16v11H8l-4 4z",
  buttons: "M3 6h18v5H3zM3 14h18v5H3z",
  bag: "M5 8h14l-1 12H6zM9 8a3 3 0 0 1 6 0",
  input: "M4 7h16v10H4zM8 12h.01M12 12h.01M16 12h.01",
  branch: "M6 3v12M18 9a3 3 0 1 0 0-.01M6 15a3 3 0 1 0 0 .01M18 12c0 4-6 3-12 6",
  variable: "M8 4c-3 0-3 4-3 8s0 8 3 8M16 4c3 0 3 4 3 8s0 8-3 8M10 9l4 6M14 9l-4 6",
  split: "M12 3v6M12 9l-6 6v6M12 9l6 6v6",
  jump: "M5 12h12M13 6l6 6-6 6",
  clock: "M12 3a9 9 0 1 0 0 18a9 9 0 1 0 0-18M12 7v5l3 2",
  globe: "M12 3a9 9 0 1 0 0 18a9 9 0 1 0 0-18M3 12h18M12 3c3 3 3 15 0 18M12 3c-3 3-3 15 0 18",
  person: "M12 4a4 4 0 1 0 0 8a4 4 0 1 0 0-8M4 21c1-4 4-6 8-6s7 2 8 6",
  stop: "M6 6h12v12H6z",
  tag: "M3 12V3h9l9 9-9 9zM7.5 7.5h.01",
  star: "M12 3l2.8 5.8 6.2.9-4.5 4.4 1 6.2L12 17.3 6.5 20.3l1-6.2L3 9.7l6.2-.9z",
  mail: "M3 6h18v12H3zM3 6l9 7 9-7",
  search: "M10.5 4a6.5 6.5 0 1 0 0 13a6.5 6.5 0 1 0 0-13M15.5 15.5L20 20",
  truck: "M3 6h11v10H3zM14 10h4l3 3v3h-7M7 19a2 2 0 1 0 0-.01M17 19a2 2 0 1 0 0-.01",
  cart: "M3 4h2l2.5 11h10L20 8H7M9 20a1 1 0 1 0 0-.01M17 20a1 1 0 1 0 0-.01",
  bell: "M6 16V11a6 6 0 0 1 12 0v5l2 2H4zM10 21h4",
  question: "M12 3a9 9 0 1 0 0 18a9 9 0 1 0 0-18M9.5 9.5a2.5 2.5 0 1 1 3.5 2.3c-.7.3-1 1-1 1.7M12 17h.01",
  dot: "M12 9a3 3 0 1 0 0 6a3 3 0 1 0 0-6",
};

export function Icon({ name, size = 16 }) {
  return (
    <svg width={size} height={size} viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth="2"
      strokeLinecap="round" strokeLinejoin="round" aria-hidden="true">
      <path d={PATHS[name] || PATHS.dot} />
    </svg>
  );
}
