import { describe, expect, it } from "vitest";
import { blockinfile } from "../../../src/modules/blockinfile.js";
import { editBlock } from "../../../src/modules/support/block.js";
import { absent, effectsOf, ok, planAfter, present, rc, runGolden, written, type GoldenCase } from "./helpers.js";
import { describeSchemaCases } from "./schema-cases.js";

const B = "# BEGIN ANSIBLE MANAGED BLOCK";
const E = "# END ANSIBLE MANAGED BLOCK";
const withBlock = `127.0.0.1 localhost\n${B}\n10.0.0.1 db\n${E}\n`;
const probesFor = (text: string) => [present({ content: text }), ok(text)];

const cases: GoldenCase[] = [
  { name: "block already there", args: { path: "/etc/hosts", block: "10.0.0.1 db\n" }, probes: probesFor(withBlock), expect: { steps: [] } },
  {
    name: "block missing: appended",
    args: { path: "/etc/hosts", block: "10.0.0.1 db" },
    probes: probesFor("127.0.0.1 localhost\n"),
    expect: { steps: [{ put: "/etc/hosts", content: withBlock, owner: "root", group: "root" }], diffs: [{ path: "/etc/hosts", before: "127.0.0.1 localhost\n", after: withBlock }] },
  },
  {
    name: "block content changed",
    args: { path: "/etc/hosts", block: "10.0.0.2 db\n" },
    probes: probesFor(withBlock),
    expect: { steps: [{ put: "/etc/hosts", content: withBlock.replace("10.0.0.1", "10.0.0.2"), owner: "root", group: "root" }] },
  },
  { name: "attributes only", args: { path: "/etc/hosts", block: "10.0.0.1 db", mode: "0600" }, probes: probesFor(withBlock), expect: { steps: [["chmod", "0600", "--", "/etc/hosts"]] } },
  { name: "absent removes", args: { path: "/etc/hosts", state: "absent" }, probes: probesFor(withBlock), expect: { steps: [{ put: "/etc/hosts", content: "127.0.0.1 localhost\n", owner: "root", group: "root" }] } },
  { name: "create", args: { path: "/f", block: "x", create: true, marker: "// {mark}" }, probes: [absent(), rc(1), ok()], expect: { steps: [{ put: "/f", content: "// BEGIN\nx\n// END\n" }], effects: [written("/f", "// BEGIN\nx\n// END\n")] } },
];

describe("blockinfile", () => {
  it.each(cases)("$name", (golden) => {
    runGolden(blockinfile, golden);
  });
});

describe("blockinfile in check mode, after earlier would-be changes", () => {
  it("updates the block an earlier task would write, and then has nothing left to do", () => {
    const before = [written("/etc/hosts", withBlock)];
    const changed = effectsOf(planAfter(blockinfile, { path: "/etc/hosts", block: "10.0.0.2 db" }, before));
    expect(changed).toEqual([written("/etc/hosts", withBlock.replace("10.0.0.1", "10.0.0.2"), { mode: "0644", owner: "root", group: "root" })]);
    expect(planAfter(blockinfile, { path: "/etc/hosts", block: "10.0.0.2 db" }, [...before, ...changed]).kind).toBe("ok");
  });
});

const base = { beginMarker: "#B", endMarker: "#E", state: "present" as const };
describe("editBlock", () => {
  it.each([
    { name: "insertbefore BOF", text: "a\n", edit: { ...base, block: "x", insertbefore: "BOF" }, want: "#B\nx\n#E\na\n" },
    { name: "insertafter a match", text: "a\nb\n", edit: { ...base, block: "x", insertafter: "^a" }, want: "a\n#B\nx\n#E\nb\n" },
    { name: "empty block removes", text: "a\n#B\nx\n#E\n", edit: { ...base, block: "" }, want: "a\n" },
    { name: "absent without block: unchanged", text: "a\n", edit: { ...base, block: "", state: "absent" as const }, want: "a\n" },
    // as Ansible's: the line before where a block would go gets its newline, even when nothing is inserted
    { name: "absent, no final newline: the newline is added", text: "a", edit: { ...base, block: "", state: "absent" as const }, want: "a\n" },
    { name: "the last of several begin markers opens the block", text: "#B\nx\n#B\ny\n#E\n", edit: { ...base, block: "z" }, want: "#B\nx\n#B\nz\n#E\n" },
    { name: "markers in the wrong order still delimit it", text: "a\n#E\nx\n#B\n", edit: { ...base, block: "z" }, want: "a\n#B\nz\n#E\n" },
    { name: "untouched lines keep their bytes", text: "a\r\nb", edit: { ...base, block: "x", insertbefore: "BOF" }, want: "#B\nx\n#E\na\r\nb" },
    { name: "multi-line replaced in place", text: "#B\nold\n#E\nz\n", edit: { ...base, block: "n1\nn2\n" }, want: "#B\nn1\nn2\n#E\nz\n" },
  ])("$name", ({ text, edit, want }) => {
    expect(editBlock(text, edit)).toBe(want);
    expect(editBlock(want, edit)).toBe(want);
  });
});

describeSchemaCases("blockinfile", [
  { name: "unknown argument", args: { path: "/f", blok: "x" }, issues: [{ path: ["blok"], message: /unknown argument/, hint: /did you mean 'block'/ }] },
  { name: "missing path", args: { block: "x" }, issues: [{ path: ["path"], message: /missing required argument 'path'/ }] },
  { name: "marker without {mark}", args: { path: "/f", marker: "# managed" }, issues: [{ path: ["marker"], message: /\{mark\}/ }] },
  { name: "wrong type", args: { path: "/f", create: [] }, issues: [{ path: ["create"], message: /expected a boolean.*got a list/ }] },
]);
