/**
 * --report FILE.html: one self-contained page (inline CSS and a few lines of JS, nothing
 * fetched) with the recap and a timeline per host: each task a bar placed at when it ran,
 * as wide as it took, coloured by its result. Clicking a bar shows the task's details.
 */
import { isIgnored, type HostStats, type TaskStatus } from "../executor/events.js";
import type { ReportListener } from "./report-event.js";
import { taskTitle } from "./console.js";
import { collectRun, visibleMessage, type RunRecord } from "./collect.js";
import { hostOutcome, recapOrder } from "./recap.js";

export function htmlReporter(write: (html: string) => void, title = "runbook report"): ReportListener {
  return collectRun((record) => write(htmlReport(record, title)));
}

const COLORS: Record<TaskStatus, string> = {
  ok: "#2e7d32",
  changed: "#f9a825",
  failed: "#c62828",
  unreachable: "#6a1b9a",
  skipped: "#78909c",
};

export function htmlReport(record: RunRecord, title: string): string {
  const results = record.results;
  // a loop, not Math.min(...spread): a long run has more results than a call has arguments
  let start = Infinity;
  let end = -Infinity;
  const byHost = new Map<string, (typeof results)[number][]>();
  for (const recorded of results) {
    const { result } = recorded;
    start = Math.min(start, result.startedAt);
    end = Math.max(end, result.startedAt + result.durationMs);
    const lane = byHost.get(result.host);
    if (lane) lane.push(recorded);
    else byHost.set(result.host, [recorded]);
  }
  const span = Math.max(1, end - start);
  const hosts = recapOrder(new Set([...record.stats.keys(), ...byHost.keys()]));
  const rows = hosts.map((host) => {
    const bars = (byHost.get(host) ?? [])
      .map((recorded) => {
        const { task, result } = recorded;
        const left = ((result.startedAt - start) / span) * 100;
        const width = (result.durationMs / span) * 100;
        const status = isIgnored(result) ? "failed, ignored" : result.status;
        const message = visibleMessage(recorded);
        const detail = `${taskTitle(task)} — ${status} — ${result.durationMs} ms${message ? `\n${message}` : ""}`;
        return `<div class="bar ${result.status}" style="left:${left.toFixed(3)}%;width:${width.toFixed(3)}%" title="${escape(detail)}" data-detail="${escape(detail)}"></div>`;
      })
      .join("");
    return `<tr><th>${escape(host)}</th><td><div class="lane">${bars}</div></td></tr>`;
  });
  const totalSeconds = Number.isFinite(span) && results.length > 0 ? (span / 1000).toFixed(2) : "0.00";
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escape(title)}</title>
<style>${CSS}</style></head>
<body>
<h1>${escape(title)}</h1>
<p class="summary">exit code ${record.exitCode}${record.interrupted ? " (interrupted)" : ""} · ${results.length} results · ${hosts.length} hosts · ${totalSeconds} s${results.length > 0 ? ` · started ${new Date(start).toISOString()}` : ""}</p>
<h2>Recap</h2>
${recapTable(record.stats)}
<h2>Timeline</h2>
<p class="legend">${(Object.keys(COLORS) as TaskStatus[]).map((status) => `<span class="bar-key ${status}"></span>${status}`).join(" ")}</p>
<table class="timeline"><tbody>${rows.join("\n")}
<tr><th></th><td><div class="axis">${axisTicks(span)}</div></td></tr></tbody></table>
<pre id="detail">Click a bar for the task's details.</pre>
<script>${SCRIPT}</script>
</body></html>
`;
}

/** Five labelled ticks under the lanes: 0 s ... the run's length. */
function axisTicks(span: number): string {
  return [0, 0.25, 0.5, 0.75, 1]
    .map((fraction) => `<span style="left:${fraction * 100}%">${((span * fraction) / 1000).toFixed(1)} s</span>`)
    .join("");
}

function recapTable(stats: ReadonlyMap<string, HostStats>): string {
  const fields: (keyof HostStats)[] = ["ok", "changed", "unreachable", "failed", "skipped", "rescued", "ignored"];
  const rows = recapOrder(stats.keys()).map((name) => {
    const s = stats.get(name) as HostStats;
    return `<tr class="${hostOutcome(s)}"><th>${escape(name)}</th>${fields.map((field) => `<td>${s[field]}</td>`).join("")}</tr>`;
  });
  return `<table class="recap"><thead><tr><th>host</th>${fields.map((field) => `<th>${field}</th>`).join("")}</tr></thead><tbody>${rows.join("")}</tbody></table>`;
}

function escape(value: string): string {
  return value.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

const CSS = `
body { font: 14px/1.4 system-ui, sans-serif; margin: 24px; color: #222; background: #fff; }
h1 { font-size: 20px; margin: 0 0 4px; } h2 { font-size: 16px; margin: 24px 0 8px; }
.summary, .legend { color: #555; }
table { border-collapse: collapse; }
.recap th, .recap td { border: 1px solid #ddd; padding: 3px 10px; text-align: right; }
.recap th:first-child { text-align: left; }
.recap tr.ok th { color: ${COLORS.ok}; } .recap tr.changed th { color: #a67400; } .recap tr.failed th { color: ${COLORS.failed}; }
.timeline { width: 100%; }
.timeline th { text-align: left; padding: 2px 12px 2px 0; white-space: nowrap; width: 1%; font-weight: normal; }
.lane { position: relative; height: 18px; background: #f3f3f3; }
.axis { position: relative; height: 16px; font-size: 11px; color: #777; }
.axis span { position: absolute; transform: translateX(-50%); white-space: nowrap; }
.axis span:first-child { transform: none; } .axis span:last-child { transform: translateX(-100%); }
.bar { position: absolute; top: 2px; bottom: 2px; min-width: 3px; cursor: pointer; }
.bar:hover { outline: 2px solid #000; }
.bar-key { display: inline-block; width: 12px; height: 12px; margin: 0 4px 0 12px; vertical-align: -1px; }
${(Object.entries(COLORS) as [TaskStatus, string][]).map(([status, color]) => `.${status} { background: ${color}; }`).join("\n")}
.recap tr { background: none; }
#detail { background: #f7f7f7; padding: 8px; white-space: pre-wrap; }
`;

// Shows a clicked bar's details below the timeline; no network, no framework.
const SCRIPT = `
document.querySelectorAll(".bar[data-detail]").forEach(function (bar) {
  bar.addEventListener("click", function () { document.getElementById("detail").textContent = bar.getAttribute("data-detail"); });
});
`;
