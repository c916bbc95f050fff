import { describe, expect, it } from "vitest";
import { jsonReporter, type JsonReport } from "../../../src/report/json.js";
import { result, runEnd, taskRef, taskResult } from "./events.js";

function report(events: Parameters<ReturnType<typeof jsonReporter>>[0][]): { writes: number; doc: JsonReport } {
  const chunks: string[] = [];
  const listener = jsonReporter((text) => chunks.push(text));
  for (const event of events) listener(event);
  return { writes: chunks.length, doc: JSON.parse(chunks.join("")) as JsonReport };
}

describe("--json report", () => {
  const changed = result({ status: "changed", msg: "m", commands: ["c"], diffs: [{ path: "/p", before: "a", after: "b" }] });

  it("writes one document at the end, with every result and the counters", () => {
    const { writes, doc } = report([taskResult(taskRef(), changed), taskResult(taskRef({ role: "r" }), result({ host: "web2" })), runEnd({ web1: { changed: 1 }, web2: { ok: 1 } }, 0)]);
    expect(writes).toBe(1);
    expect(doc.exitCode).toBe(0);
    expect(doc.hosts["web1"]).toEqual({ ok: 0, changed: 1, failed: 0, skipped: 0, unreachable: 0, ignored: 0, rescued: 0 });
    expect(doc.tasks).toEqual([
      { host: "web1", play: "Site", role: null, task: "write config", module: "copy", status: "changed", startedAt: 1_700_000_000_000, durationMs: 12, msg: "m", commands: ["c"], diff: [{ path: "/p", before: "a", after: "b" }] },
      { host: "web2", play: "Site", role: "r", task: "write config", module: "copy", status: "ok", startedAt: 1_700_000_000_000, durationMs: 12 },
    ]);
  });

  it("masks no_log tasks: no commands, no diff, a hidden message", () => {
    const { doc } = report([taskResult(taskRef({ noLog: true }), changed), runEnd({ web1: { changed: 1 } })]);
    expect(doc.tasks[0]).toMatchObject({ msg: "(hidden: no_log)" });
    expect(doc.tasks[0]).not.toHaveProperty("commands");
    expect(doc.tasks[0]).not.toHaveProperty("diff");
  });

  it("lists hosts in the recap's order", () => {
    const { doc } = report([runEnd({ h10: {}, h2: {}, web: {}, h1: {} })]);
    expect(Object.keys(doc.hosts)).toEqual(["h1", "h2", "h10", "web"]);
  });
});
