import { describe, expect, it } from "vitest";
import { file } from "../../../src/modules/file.js";
import { lineinfile } from "../../../src/modules/lineinfile.js";
import { editLines } from "../../../src/modules/support/lines.js";
import type { Effect } from "../../../src/modules/types.js";
import { absent, effectsOf, ok, planAfter, present, rc, runGolden, written, type GoldenCase } from "./helpers.js";
import { describeSchemaCases } from "./schema-cases.js";

const sshd = "Port 22\n#PermitRootLogin yes\nUsePAM yes\n";
const probesFor = (text: string) => [present({ content: text }), ok(text)];

const cases: GoldenCase[] = [
  {
    name: "line already there",
    args: { path: "/etc/ssh/sshd_config", regexp: "^#?PermitRootLogin", line: "PermitRootLogin no" },
    probes: probesFor("Port 22\nPermitRootLogin no\n"),
    expect: { steps: [], changed: false },
  },
  {
    name: "regexp match replaced: one whole-file put with a diff",
    args: { path: "/etc/ssh/sshd_config", regexp: "^#?PermitRootLogin", line: "PermitRootLogin no" },
    probes: probesFor(sshd),
    expect: {
      steps: [{ put: "/etc/ssh/sshd_config", content: "Port 22\nPermitRootLogin no\nUsePAM yes\n", owner: "root", group: "root" }],
      diffs: [{ path: "/etc/ssh/sshd_config", before: sshd, after: "Port 22\nPermitRootLogin no\nUsePAM yes\n" }],
    },
  },
  {
    name: "mode only",
    args: { path: "/f", line: "a", mode: "0600" },
    probes: probesFor("a\n"),
    expect: { steps: [["chmod", "0600", "--", "/f"]], effects: [written("/f", "a\n", { mode: "0600", owner: "root", group: "root" })] },
  },
  { name: "missing file without create fails", args: { path: "/f", line: "a" }, probes: [absent(), rc(1)], expect: { failed: /does not exist/ } },
  { name: "missing file with create", args: { path: "/f", line: "a", create: "yes" }, probes: [absent(), rc(1), ok()], expect: { steps: [{ put: "/f", content: "a\n" }], effects: [written("/f", "a\n")] } },
  {
    name: "create in a missing directory makes it first",
    args: { path: "/srv/a/f", line: "a", create: true },
    probes: [absent(), rc(1), rc(1)],
    expect: { steps: [["mkdir", "-p", "--", "/srv/a"], { put: "/srv/a/f", content: "a\n" }], effects: [{ kind: "path", path: "/srv/a", after: { exists: true, kind: "directory" } }, written("/srv/a/f", "a\n")] },
  },
  {
    name: "validate: written beside the file, checked, then renamed over it",
    args: { path: "/etc/f", line: "b", validate: "check -f %s" },
    probes: probesFor("a\n"),
    expect: {
      steps: [
        { put: "/etc/.f.runbook-validate", content: "a\nb\n", mode: "0644", owner: "root", group: "root" },
        ["sh", "-c", 't=$1; d=$2; shift 2; "$@" || { rc=$?; rm -f -- "$t"; exit "$rc"; }; mv -f -- "$t" "$d"', "sh", "/etc/.f.runbook-validate", "/etc/f", "check", "-f", "/etc/.f.runbook-validate"],
      ],
    },
  },
  { name: "search_string: a literal, not a regexp", args: { path: "/f", search_string: "a.b", state: "absent" }, probes: probesFor("a.b\naxb\n"), expect: { steps: [{ put: "/f", content: "axb\n", owner: "root", group: "root" }] } },
  { name: "absent on a missing file is ok", args: { path: "/f", line: "a", state: "absent" }, probes: [absent(), rc(1)], expect: { steps: [] } },
  {
    name: "Python named groups and backrefs",
    args: { path: "/f", regexp: "^(?P<key>Port) \\d+$", line: "\\g<key> 2222", backrefs: true },
    probes: probesFor("Port 22\n"),
    expect: { steps: [{ put: "/f", content: "Port 2222\n", owner: "root", group: "root" }] },
  },
  {
    name: "a symbolic link is followed: the target is written",
    args: { path: "/etc/resolv.conf", line: "nameserver 10.0.0.1" },
    probes: [ok(`real /run/resolv.conf\n${present({ content: "" }).stdout}`), ok("")],
    expect: {
      steps: [{ put: "/run/resolv.conf", content: "nameserver 10.0.0.1\n", owner: "root", group: "root" }],
      effects: [written("/run/resolv.conf", "nameserver 10.0.0.1\n", { mode: "0644", owner: "root", group: "root" })],
    },
  },
  { name: "text that does not match its checksum is not rewritten", args: { path: "/f", line: "a" }, probes: [present({ content: "\u00ff" }), ok("\ufffd")], expect: { failed: /not UTF-8 text/ } },
  { name: "absent removes all matches", args: { path: "/f", regexp: "^x", state: "absent" }, probes: probesFor("x1\ny\nx2\n"), expect: { steps: [{ put: "/f", content: "y\n", owner: "root", group: "root" }] } },
];

describe("lineinfile", () => {
  it.each(cases)("$name", (golden) => {
    runGolden(lineinfile, golden);
  });
});

describe("lineinfile in check mode, after earlier would-be changes", () => {
  const fresh = { state: absent(), content: rc(1), parent: ok() };
  const settings = (item: string) => ({ path: "/srv/li/settings", line: `level = ${item}`, create: true });

  it("a loop over one fresh file plans item by item against the text the items before would leave", () => {
    const effects: Effect[] = [];
    for (const item of ["one", "two", "three"]) effects.push(...effectsOf(planAfter(lineinfile, settings(item), effects, fresh)));
    expect(effects).toHaveLength(3);
    expect(effects.at(-1)).toEqual(written("/srv/li/settings", "level = one\nlevel = two\nlevel = three\n", { mode: "0644", owner: "root", group: "root" }));
    // and a second pass of the loop has nothing left to do
    for (const item of ["one", "two", "three"]) expect(planAfter(lineinfile, settings(item), effects).kind).toBe("ok");
  });

  it("after its directory would be removed and made again, the file is missing (create, or fail without)", () => {
    const removed = effectsOf(planAfter(file, { path: "/srv/li", state: "absent" }, [], { state: present({ kind: "directory", mode: "755" }) }));
    const made = [...removed, ...effectsOf(planAfter(file, { path: "/srv/li", state: "directory" }, removed))];
    expect(effectsOf(planAfter(lineinfile, settings("one"), made))).toEqual([written("/srv/li/settings", "level = one\n")]);
    const plan = planAfter(lineinfile, { path: "/srv/li/settings", line: "x" }, made);
    expect(plan.kind === "fail" && plan.error).toBe("/srv/li/settings does not exist");
  });

  it("after a change that did not say what the file holds, it cannot tell", () => {
    expect(planAfter(lineinfile, settings("one"), [{ kind: "path", path: "/srv/li/settings", after: { exists: true, kind: "file", mode: "0600" } }]).kind).toBe("unknown");
  });

  it("a predicted link is not followed: the target's text is not known", () => {
    expect(planAfter(lineinfile, settings("one"), [{ kind: "path", path: "/srv/li/settings", after: { exists: true, kind: "link", linkTarget: "/x" } }]).kind).toBe("unknown");
  });
});

const edits: { name: string; text: string; edit: Parameters<typeof editLines>[1]; want: string }[] = [
  { name: "append at EOF", text: "a\nb\n", edit: { line: "c", state: "present" }, want: "a\nb\nc\n" },
  { name: "append to text without final newline", text: "a", edit: { line: "c", state: "present" }, want: "a\nc\n" },
  { name: "absent keeps the other lines byte for byte", text: "a\nb\nc", edit: { line: "b", state: "absent" }, want: "a\nc" },
  { name: "a last line equal but without its newline gets one", text: "a\nb", edit: { line: "b", state: "present" }, want: "a\nb\n" },
  { name: "insertbefore BOF on an empty text", text: "", edit: { line: "N", state: "present", insertbefore: "BOF" }, want: "N\n" },
  { name: "exact line present", text: "a\nc\n", edit: { line: "c", state: "present" }, want: "a\nc\n" },
  { name: "insertafter last match", text: "x\na\nx\nb\n", edit: { line: "N", state: "present", insertafter: "^x" }, want: "x\na\nx\nN\nb\n" },
  { name: "insertafter first match", text: "x\na\nx\nb\n", edit: { line: "N", state: "present", insertafter: "^x", firstmatch: true }, want: "x\nN\na\nx\nb\n" },
  { name: "insertafter without match goes to EOF", text: "a\n", edit: { line: "N", state: "present", insertafter: "^zz" }, want: "a\nN\n" },
  { name: "insertbefore BOF", text: "a\n", edit: { line: "N", state: "present", insertbefore: "BOF" }, want: "N\na\n" },
  { name: "insertbefore a match", text: "a\nb\n", edit: { line: "N", state: "present", insertbefore: "^b" }, want: "a\nN\nb\n" },
  { name: "regexp replaces the last match", text: "k=1\nk=2\n", edit: { line: "k=3", regexp: /^k=/, state: "present" }, want: "k=1\nk=3\n" },
  { name: "regexp without match inserts", text: "a\n", edit: { line: "k=3", regexp: /^k=/, state: "present" }, want: "a\nk=3\n" },
  { name: "regexp without match but line present: unchanged", text: "k=3\n", edit: { line: "k=3", regexp: /^kk=/, state: "present" }, want: "k=3\n" },
  { name: "backrefs expand groups", text: "Port 22\n", edit: { line: "\\1 2222", regexp: /^(Port) \d+$/, state: "present", backrefs: true }, want: "Port 2222\n" },
  { name: "backrefs without match: unchanged", text: "a\n", edit: { line: "x\\1", regexp: /^(b)$/, state: "present", backrefs: true }, want: "a\n" },
  { name: "absent by line", text: "a\nb\na\n", edit: { line: "a", state: "absent" }, want: "b\n" },
  { name: "empty file", text: "", edit: { line: "a", state: "present" }, want: "a\n" },
];

describe("editLines", () => {
  it.each(edits)("$name", ({ text, edit, want }) => {
    expect(editLines(text, edit)).toBe(want);
  });

  it("is idempotent: a second edit changes nothing", () => {
    for (const { text, edit } of edits) {
      const once = editLines(text, edit);
      expect(editLines(once, edit)).toBe(once);
    }
  });
});

describeSchemaCases("lineinfile", [
  { name: "unknown argument", args: { path: "/f", line: "a", regex: "^a" }, issues: [{ path: ["regex"], message: /unknown argument/, hint: /did you mean 'regexp'/ }] },
  { name: "missing path", args: { line: "a" }, issues: [{ path: ["path"], message: /missing required argument 'path'/ }] },
  { name: "missing line", args: { path: "/f" }, issues: [{ path: ["line"], message: /needs 'line'/ }] },
  { name: "bad regexp", args: { path: "/f", line: "a", regexp: "(" }, issues: [{ path: ["regexp"], message: /valid regular expression/ }] },
  { name: "wrong type", args: { path: "/f", line: 3 }, issues: [{ path: ["line"], message: /expected string, got number 3/ }] },
]);
