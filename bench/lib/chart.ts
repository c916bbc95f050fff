/**
 * The chart: seconds against hosts, both axes logarithmic (Ansible is tens of times slower, and
 * host counts go 3, 20, 100), one line per tool and phase. Drawn into a Canvas, saved as PNG.
 */
import { Canvas, type Colour } from "./canvas.js";
import { encodePng } from "./png.js";
import type { HostCountResult } from "./results.js";
import type { Phase, ToolName } from "./tools.js";

interface Series {
  readonly label: string;
  readonly colour: Colour;
  readonly dash: number;
  readonly points: readonly (readonly [number, number])[];
}

const STYLE: Readonly<Record<ToolName, Colour>> = { runbook: [31, 119, 180], ansible: [214, 39, 40] };
const DASH: Readonly<Record<Phase, number>> = { first: 0, nochange: 8, check: 3 };
const PHASE_NAME: Readonly<Record<Phase, string>> = { first: "first run", nochange: "no-change", check: "check" };

export function chartSeries(results: readonly HostCountResult[]): Series[] {
  const sorted = [...results].sort((a, b) => a.hosts - b.hosts);
  const series: Series[] = [];
  for (const tool of ["ansible", "runbook"] as const) {
    for (const phase of ["first", "nochange", "check"] as const) {
      const points = sorted.flatMap((result) => {
        const seconds = result.medians[phase]?.[tool]?.seconds;
        return seconds === undefined ? [] : [[result.hosts, seconds] as const];
      });
      if (points.length > 0) series.push({ label: `${tool} ${PHASE_NAME[phase]}`, colour: STYLE[tool], dash: DASH[phase], points });
    }
  }
  return series;
}

const WIDTH = 900;
const HEIGHT = 560;
const PLOT = { left: 110, right: WIDTH - 30, top: 60, bottom: HEIGHT - 80 };
const INK: Colour = [40, 40, 40];
const GRID: Colour = [225, 225, 225];

export function renderChart(results: readonly HostCountResult[], title: string): Buffer {
  const canvas = new Canvas(WIDTH, HEIGHT);
  const series = chartSeries(results);
  const hosts = series.flatMap((line) => line.points.map(([x]) => x));
  const seconds = series.flatMap((line) => line.points.map(([, y]) => y));
  const xRange = decades(Math.min(...hosts, 3), Math.max(...hosts, 100));
  const yRange = decades(Math.min(...seconds, 1), Math.max(...seconds, 10));
  const px = (x: number): number => PLOT.left + ((Math.log10(x) - xRange[0]) / (xRange[1] - xRange[0])) * (PLOT.right - PLOT.left);
  const py = (y: number): number => PLOT.bottom - ((Math.log10(y) - yRange[0]) / (yRange[1] - yRange[0])) * (PLOT.bottom - PLOT.top);

  for (let power = yRange[0]; power <= yRange[1]; power++) {
    const y = py(10 ** power);
    canvas.line(PLOT.left, y, PLOT.right, y, GRID);
    const label = formatTick(10 ** power);
    canvas.text(PLOT.left - 12 - Canvas.textWidth(label), y - 7, label, INK);
  }
  for (const x of [...new Set(hosts)].sort((a, b) => a - b)) {
    canvas.line(px(x), PLOT.top, px(x), PLOT.bottom, GRID);
    canvas.text(px(x) - Canvas.textWidth(String(x)) / 2, PLOT.bottom + 12, String(x), INK);
  }
  canvas.line(PLOT.left, PLOT.top, PLOT.left, PLOT.bottom, INK, 2);
  canvas.line(PLOT.left, PLOT.bottom, PLOT.right, PLOT.bottom, INK, 2);
  canvas.text((PLOT.left + PLOT.right - Canvas.textWidth("hosts")) / 2, PLOT.bottom + 44, "hosts", INK);
  canvas.text(10, PLOT.top - 30, "seconds (log)", INK);
  canvas.text((WIDTH - Canvas.textWidth(title)) / 2, 14, title, INK);

  for (const line of series) {
    line.points.forEach(([x, y], index) => {
      canvas.fill(px(x) - 4, py(y) - 4, 9, 9, line.colour);
      const next = line.points[index + 1];
      if (next) canvas.line(px(x), py(y), px(next[0]), py(next[1]), line.colour, 3, line.dash);
    });
  }
  drawLegend(canvas, series);
  return encodePng(WIDTH, HEIGHT, canvas.pixels);
}

function drawLegend(canvas: Canvas, series: readonly Series[]): void {
  // Top left: the slow lines reach it only beyond 1000 s.
  const left = PLOT.left + 20;
  series.forEach((line, index) => {
    const y = PLOT.top + 10 + index * 22;
    canvas.line(left, y + 7, left + 40, y + 7, line.colour, 3, line.dash);
    canvas.text(left + 50, y, line.label, INK);
  });
}

/** Whole powers of ten that enclose [low, high], as exponents. */
function decades(low: number, high: number): [number, number] {
  return [Math.floor(Math.log10(low)), Math.ceil(Math.log10(high))];
}

function formatTick(value: number): string {
  return value >= 1 ? String(Math.round(value)) : String(Number(value.toPrecision(1)));
}
