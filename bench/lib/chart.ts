/**
 * The chart: seconds against hosts, both axes logarithmic (Ansible is tens of times slower, and
 * host counts go 3, 20, 100), one line per tool and phase, and the floor. Written as SVG text,
 * so the repository holds a file any forge shows and any diff reads.
 */
import type { HostCountResult } from "./results.js";
import { TOOL_NAMES, type Phase, type ToolName } from "./tools.js";

export interface Series {
  readonly label: string;
  readonly colour: string;
  /** SVG stroke-dasharray; "" for a solid line. */
  readonly dash: string;
  readonly points: readonly (readonly [number, number])[];
}

const COLOUR: Readonly<Record<ToolName | "floor", string>> = { runbook: "#1f77b4", ansible: "#d62728", mitogen: "#2ca02c", floor: "#7f7f7f" };
const DASH: Readonly<Record<Phase, string>> = { first: "", nochange: "8 6", check: "3 4" };
const PHASE_NAME: Readonly<Record<Phase, string>> = { first: "first run", nochange: "no-change", check: "check" };
const TOOL_LABEL: Readonly<Record<ToolName, string>> = { runbook: "runbook", ansible: "ansible", mitogen: "ansible + mitogen" };

export function chartSeries(results: readonly HostCountResult[]): Series[] {
  const sorted = [...results].sort((a, b) => a.hosts - b.hosts);
  const line = (pick: (result: HostCountResult) => number | undefined): [number, number][] =>
    sorted.flatMap((result) => {
      const seconds = pick(result);
      return seconds === undefined ? [] : [[result.hosts, seconds] as [number, number]];
    });
  const series: Series[] = [];
  for (const tool of [...TOOL_NAMES].reverse()) {
    for (const phase of ["first", "nochange", "check"] as const) {
      const points = line((result) => result.medians[phase]?.[tool]?.seconds);
      if (points.length > 0) series.push({ label: `${TOOL_LABEL[tool]} ${PHASE_NAME[phase]}`, colour: COLOUR[tool], dash: DASH[phase], points });
    }
  }
  const floor = line((result) => result.floorSeconds);
  if (floor.length > 0) series.push({ label: "floor (start + connect + one round trip)", colour: COLOUR.floor, dash: "1 4", points: floor });
  return series;
}

const WIDTH = 900;
const HEIGHT = 560;
const PLOT = { left: 80, right: WIDTH - 30, top: 50, bottom: HEIGHT - 70 };
const INK = "#282828";
const GRID = "#e1e1e1";

export function renderChart(results: readonly HostCountResult[], title: string): string {
  const series = chartSeries(results);
  const hosts = series.flatMap((line) => line.points.map(([x]) => x));
  const seconds = series.flatMap((line) => line.points.map(([, y]) => y));
  const xRange = decades(Math.min(...hosts, 3), Math.max(...hosts, 100));
  const yRange = decades(Math.min(...seconds, 1), Math.max(...seconds, 10));
  const px = (x: number): number => PLOT.left + ((Math.log10(x) - xRange[0]) / (xRange[1] - xRange[0])) * (PLOT.right - PLOT.left);
  const py = (y: number): number => PLOT.bottom - ((Math.log10(y) - yRange[0]) / (yRange[1] - yRange[0])) * (PLOT.bottom - PLOT.top);
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" viewBox="0 0 ${WIDTH} ${HEIGHT}" font-family="sans-serif" font-size="13">`,
    `<rect width="${WIDTH}" height="${HEIGHT}" fill="#ffffff"/>`,
    text(WIDTH / 2, 24, title, "middle", 15),
  ];
  for (let power = yRange[0]; power <= yRange[1]; power++) {
    const y = round(py(10 ** power));
    parts.push(`<line x1="${PLOT.left}" y1="${y}" x2="${PLOT.right}" y2="${y}" stroke="${GRID}"/>`, text(PLOT.left - 8, y + 4, formatTick(10 ** power), "end"));
  }
  for (const x of [...new Set(hosts)].sort((a, b) => a - b)) {
    const left = round(px(x));
    parts.push(`<line x1="${left}" y1="${PLOT.top}" x2="${left}" y2="${PLOT.bottom}" stroke="${GRID}"/>`, text(left, PLOT.bottom + 20, String(x), "middle"));
  }
  parts.push(
    `<polyline points="${PLOT.left},${PLOT.top} ${PLOT.left},${PLOT.bottom} ${PLOT.right},${PLOT.bottom}" fill="none" stroke="${INK}" stroke-width="2"/>`,
    text((PLOT.left + PLOT.right) / 2, PLOT.bottom + 50, "hosts", "middle"),
    text(12, PLOT.top - 16, "seconds (log)", "start"),
  );
  for (const line of series) {
    const points = line.points.map(([x, y]) => `${round(px(x))},${round(py(y))}`);
    parts.push(`<polyline points="${points.join(" ")}" ${stroke(line)}/>`);
    for (const point of points) {
      const [cx, cy] = point.split(",");
      parts.push(`<circle cx="${cx}" cy="${cy}" r="4" fill="${line.colour}"/>`);
    }
  }
  parts.push(...legend(series), "</svg>", "");
  return parts.join("\n");
}

/** Top left: the slow lines reach it only beyond 1000 s. */
function legend(series: readonly Series[]): string[] {
  const left = PLOT.left + 20;
  return series.flatMap((line, index) => {
    const y = PLOT.top + 14 + index * 20;
    return [`<line x1="${left}" y1="${y}" x2="${left + 40}" y2="${y}" ${stroke(line)}/>`, text(left + 50, y + 4, line.label, "start")];
  });
}

function stroke(line: Series): string {
  return `fill="none" stroke="${line.colour}" stroke-width="3"${line.dash ? ` stroke-dasharray="${line.dash}"` : ""}`;
}

function text(x: number, y: number, content: string, anchor: "start" | "middle" | "end", size?: number): string {
  const escaped = content.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;");
  return `<text x="${round(x)}" y="${round(y)}" text-anchor="${anchor}" fill="${INK}"${size ? ` font-size="${size}"` : ""}>${escaped}</text>`;
}

const round = (value: number): number => Math.round(value * 10) / 10;

/** Whole powers of ten that enclose [low, high], as exponents. */
function decades(low: number, high: number): [number, number] {
  return [Math.floor(Math.log10(low)), Math.ceil(Math.log10(high))];
}

function formatTick(value: number): string {
  return value >= 1 ? String(Math.round(value)) : String(Number(value.toPrecision(1)));
}
