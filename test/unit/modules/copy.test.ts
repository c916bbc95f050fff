import { describe, expect, it } from "vitest";
import { copy } from "../../../src/modules/copy.js";
import { file } from "../../../src/modules/file.js";
import { absent, effectsOf, ok, planAfter, present, rc, runGolden, written, type GoldenCase } from "./helpers.js";
import { describeSchemaCases } from "./schema-cases.js";

const cases: GoldenCase[] = [
  {
    name: "already correct: empty plan",
    args: { content: "hello\n", dest: "/etc/motd", mode: "0644" },
    probes: [present({ content: "hello\n", mode: "644" }), ok("hello\n")],
    expect: { steps: [], changed: false, probeCount: 1 },
  },
  {
    name: "with --diff the current content is read too (the diff's before)",
    args: { content: "hello\n", dest: "/etc/motd", mode: "0644" },
    context: { vars: { ansible_diff_mode: true } },
    probes: [present({ content: "hello\n", mode: "644" }), ok("hello\n")],
    expect: { steps: [], changed: false, probeCount: 2 },
  },
  {
    name: "missing file: one put with attributes and a diff from empty",
    args: { content: "hello\n", dest: "/etc/motd", mode: "0640", owner: "www-data" },
    probes: [absent(), rc(1)],
    expect: {
      steps: [{ put: "/etc/motd", content: "hello\n", mode: "0640", owner: "www-data" }],
      changed: true,
      diffs: [{ path: "/etc/motd", before: "", after: "hello\n" }],
      effects: [written("/etc/motd", "hello\n", { mode: "0640", owner: "www-data" })],
    },
  },
  {
    name: "content differs: put with the old content in the diff",
    args: { content: "new\n", dest: "/etc/motd" },
    context: { vars: { ansible_diff_mode: true } },
    probes: [present({ content: "old\n" }), ok("old\n")],
    expect: { steps: [{ put: "/etc/motd", content: "new\n", owner: "root", group: "root" }], diffs: [{ path: "/etc/motd", before: "old\n", after: "new\n" }] },
  },
  {
    name: "only the mode differs: chmod, no upload",
    args: { content: "hello\n", dest: "/etc/motd", mode: 600 },
    probes: [present({ content: "hello\n", mode: "644" }), ok("hello\n")],
    expect: { steps: [["chmod", "0600", "--", "/etc/motd"]], changed: true, effects: [written("/etc/motd", "hello\n", { mode: "0600", owner: "root", group: "root" })] },
  },
  {
    name: "owner and group differ: one chown",
    args: { content: "x", dest: "/f", owner: "app", group: "app" },
    probes: [present({ content: "x" }), ok("x")],
    expect: { steps: [["chown", "app:app", "--", "/f"]] },
  },
  {
    name: "numeric owner matches the uid",
    args: { content: "x", dest: "/f", owner: "0", group: "root" },
    probes: [present({ content: "x" }), ok("x")],
    expect: { steps: [] },
  },
  {
    name: "src from the controller into a directory (dest ends in /)",
    args: { src: "files/app.conf", dest: "/etc/app/" },
    context: { files: { "files/app.conf": "a=1\n" } },
    probes: [absent(), present({ kind: "directory" })],
    expect: { steps: [{ put: "/etc/app/app.conf", content: "a=1\n" }] },
  },
  {
    name: "mode preserve takes the controller file's mode",
    args: { src: "files/run.sh", dest: "/usr/local/bin/run.sh", mode: "preserve" },
    context: { files: { "files/run.sh": "#!/bin/sh\n" }, modes: { "files/run.sh": "0750" } },
    probes: [present({ content: "#!/bin/sh\n", mode: "644" }), absent()],
    expect: { steps: [["chmod", "0750", "--", "/usr/local/bin/run.sh"]], changed: true },
  },
  {
    name: "force false leaves a differing file alone",
    args: { content: "new", dest: "/f", force: "no" },
    probes: [present({ content: "old" }), ok("old")],
    expect: { steps: [], changed: false },
  },
  {
    name: "a rewrite keeps the file's owner and group",
    args: { content: "new", dest: "/srv/app.conf", mode: "0600" },
    probes: [present({ content: "old", owner: "app", group: "app" }), ok("old")],
    expect: { steps: [{ put: "/srv/app.conf", content: "new", mode: "0600", owner: "app", group: "app" }], effects: [written("/srv/app.conf", "new", { mode: "0600", owner: "app", group: "app" })] },
  },
  {
    name: "a rewrite without a mode predicts the old one (the upload keeps it)",
    args: { content: "new", dest: "/srv/app.conf" },
    probes: [present({ content: "old", mode: "640" })],
    expect: { effects: [written("/srv/app.conf", "new", { mode: "0640", owner: "root", group: "root" })] },
  },
  {
    name: "dest is a directory: fails with a hint",
    args: { content: "x", dest: "/etc" },
    probes: [present({ kind: "directory", mode: "755" }), rc(1)],
    expect: { failed: /is a directory/ },
  },
  {
    name: "binary or large content is not shown in the diff",
    args: { content: "new", dest: "/f" },
    context: { vars: { ansible_diff_mode: true } },
    probes: [present({ content: "\0old" }), ok("\0old")],
    expect: { diffs: [{ path: "/f", before: "(binary or larger than 64 KiB: not shown)\n", after: "new" }] },
  },
];

describe("copy", () => {
  it.each(cases)("$name", (golden) => {
    runGolden(copy, golden);
  });
});

describe("copy in check mode, after earlier would-be changes", () => {
  const args = { content: "hello\n", dest: "/etc/motd", mode: "0640" };

  it("after its own predicted write there is nothing left to do", () => {
    const first = planAfter(copy, args, [], { state: absent() });
    expect(planAfter(copy, args, effectsOf(first)).kind).toBe("ok");
  });

  it("after a predicted write of other content it would write again, with the diff from that content", () => {
    const plan = planAfter(copy, args, [written("/etc/motd", "old\n")], {}, { vars: { ansible_diff_mode: true } });
    expect(plan.kind === "change" && plan.diffs).toEqual([{ path: "/etc/motd", before: "old\n", after: "hello\n" }]);
  });

  it("after its directory would be removed, the file is missing", () => {
    const removed = effectsOf(planAfter(file, { path: "/etc", state: "absent" }, [], { state: present({ kind: "directory", mode: "755" }) }));
    const plan = planAfter(copy, args, removed);
    expect(plan.kind === "change" && plan.msg).toBe("/etc/motd does not exist");
  });

  it("after a change of unknown content (a hard link) it cannot tell", () => {
    expect(planAfter(copy, args, [{ kind: "path", path: "/etc/motd", after: { exists: true, kind: "file" } }]).kind).toBe("unknown");
  });
});

describeSchemaCases("copy", [
  { name: "unknown argument with a suggestion", args: { content: "x", dest: "/f", modes: "0644" }, issues: [{ path: ["modes"], message: /unknown argument 'modes'/, hint: /did you mean 'mode'/ }] },
  { name: "missing dest", args: { content: "x" }, issues: [{ path: ["dest"], message: /missing required argument 'dest'/ }] },
  { name: "wrong type", args: { content: "x", dest: ["/f"] }, issues: [{ path: ["dest"], message: /expected string, got a list/ }] },
  { name: "bad boolean", args: { content: "x", dest: "/f", force: "maybe" }, issues: [{ path: ["force"], message: /expected a boolean.*got string 'maybe'/ }] },
  { name: "bad mode", args: { content: "x", dest: "/f", mode: "rwx" }, issues: [{ path: ["mode"], message: /octal mode/ }] },
  { name: "neither src nor content", args: { dest: "/f" }, issues: [{ path: ["src"], message: /exactly one of 'src' or 'content'/ }] },
]);
