import { Chalk } from "chalk";
import { describe, expect, it } from "vitest";
import { consoleReporter, taskTitle } from "../../../src/report/console.js";
import { formatTimings } from "../../../src/report/timings.js";
import { result, taskRef } from "./events.js";

/** An unnamed copy task is named after its arguments, content and all. */
const unnamed = taskRef({ name: "copy dest=/etc/motd content=static content\nmore\tlines", module: "copy" });

describe("a task named after multi-line arguments", () => {
  it("has a one-line title, newlines and tabs escaped", () => {
    expect(taskTitle(unnamed)).toBe("copy dest=/etc/motd content=static content\\nmore\\tlines");
  });

  it("keeps the TASK banner on one line", () => {
    let out = "";
    const report = consoleReporter({ write: (text) => (out += text), color: new Chalk({ level: 0 }), verbosity: 0, check: false, diff: false });
    report({ type: "task-start", task: unnamed, hosts: ["web1"] });
    report({ type: "task-result", task: unnamed, result: result() });
    const banner = out.split("\n").find((line) => line.startsWith("TASK ["));
    expect(banner).toMatch(/^TASK \[copy dest=\/etc\/motd content=static content\\nmore\\tlines\] \*+$/);
  });

  it("keeps its --timings row on one line", () => {
    const text = formatTimings([{ task: unnamed, result: result({ durationMs: 1500 }) }], new Chalk({ level: 0 }), 5);
    expect(text.split("\n").filter((line) => line.includes("content=static"))).toEqual([expect.stringMatching(/content\\nmore\\tlines\s+---\s+1\.50s$/)]);
  });
});
