// The analytics dashboard's charts. The page renders every number as HTML; this only draws the charts
// from the same report, embedded by the page as JSON (#analytics-report).
import {
  ArcElement, BarController, BarElement, CategoryScale, Chart, DoughnutController, Legend, LinearScale,
  LineController, LineElement, PointElement, Tooltip,
} from "chart.js";

Chart.register(
  ArcElement, BarController, BarElement, CategoryScale, DoughnutController, Legend, LinearScale, LineController,
  LineElement, PointElement, Tooltip,
);

const ACCENT = "#4f46e5";
const SECOND = "#0ea5e9";
const GREY = "#cbd5e1";
const WHOLE = { ticks: { precision: 0 }, beginAtZero: true };

const charts = {
  daily: (r) => ({
    type: "line",
    data: {
      labels: r.days.map((d) => d.day),
      datasets: [
        { label: "Conversations", data: r.days.map((d) => d.conversations), borderColor: ACCENT, backgroundColor: ACCENT, tension: 0.25 },
        { label: "Unique shoppers", data: r.days.map((d) => d.shoppers), borderColor: SECOND, backgroundColor: SECOND, tension: 0.25 },
      ],
    },
    options: { scales: { y: WHOLE }, interaction: { mode: "index", intersect: false } },
  }),
  outcomes: (r) => ({
    type: "doughnut",
    data: {
      labels: ["Resolved by the bot", "Handed to a person"],
      datasets: [{ data: [r.resolved_by_bot, r.handed_to_person], backgroundColor: [ACCENT, SECOND] }],
    },
  }),
  ratings: (r) => ({
    type: "bar",
    data: {
      labels: ["1", "2", "3", "4", "5"],
      datasets: [{ label: "Ratings", data: ["1", "2", "3", "4", "5"].map((k) => r.satisfaction.distribution[k]), backgroundColor: ACCENT }],
    },
    options: { scales: { y: WHOLE }, plugins: { legend: { display: false } } },
  }),
  goals: (r) => ({
    type: "bar",
    data: {
      labels: r.goals.map((g) => g.label),
      datasets: [{ label: "Conversations", data: r.goals.map((g) => g.conversations), backgroundColor: ACCENT }],
    },
    options: { indexAxis: "y", scales: { x: WHOLE }, plugins: { legend: { display: false } } },
  }),
  funnel: (r) => ({
    type: "bar",
    data: {
      labels: r.nodes.map((n) => n.node_id),
      datasets: [
        { label: "Entered", data: r.nodes.map((n) => n.entered), backgroundColor: ACCENT },
        { label: "Dropped off", data: r.nodes.map((n) => n.dropped), backgroundColor: GREY },
      ],
    },
    options: { scales: { y: WHOLE } },
  }),
};

function draw() {
  const source = document.getElementById("analytics-report");
  if (!source) return;
  const report = JSON.parse(source.textContent);
  document.querySelectorAll("canvas[data-chart]").forEach((canvas) => {
    const make = charts[canvas.dataset.chart];
    if (make) canvas.chart = new Chart(canvas, make(report));
  });
}

if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", draw);
else draw();
