import { describe, expect, it } from "vitest";
import { file } from "../../../src/modules/file.js";
import { absent, ok, present, runGolden, type GoldenCase } from "./helpers.js";
import { describeSchemaCases } from "./schema-cases.js";

const MKDIRS_SCRIPT = expect.any(String);
const dir = (mode = "755", owner = "root") => present({ kind: "directory", mode, owner, group: owner });

const cases: GoldenCase[] = [
  { name: "directory exists as wanted", args: { path: "/srv", state: "directory", mode: "0755" }, probes: [dir()], expect: { steps: [], probeCount: 1 } },
  {
    name: "directory missing: mkdir then attributes",
    args: { path: "/srv/data", state: "directory", mode: "0750", owner: "app" },
    probes: [absent(), ok("")],
    expect: { steps: [["sh", "-c", MKDIRS_SCRIPT, "sh", "0750", "app", "", "/srv", "/srv/data"]] },
  },
  {
    name: "owner that does not exist fails before any step",
    args: { path: "/srv/data", state: "directory", owner: "nobody-here" },
    probes: [absent(), ok("user nobody-here\n")],
    expect: { failed: /failed to look up user nobody-here/ },
  },
  { name: "directory mode only", args: { dest: "/srv", state: "directory", mode: "0700" }, probes: [dir()], expect: { steps: [["chmod", "0700", "--", "/srv"]] } },
  { name: "directory over a file fails", args: { path: "/srv", state: "directory" }, probes: [present({ content: "x" })], expect: { failed: /not a directory/ } },
  {
    name: "recurse: something below differs",
    args: { path: "/srv", state: "directory", owner: "app", recurse: true },
    probes: [dir("755", "app"), ok("differs\n"), ok("")],
    expect: { steps: [["chown", "-R", "app", "--", "/srv"]], probeCount: 3 },
  },
  { name: "recurse: all as wanted", args: { path: "/srv", state: "directory", owner: "app", recurse: true }, probes: [dir("755", "app"), ok(""), ok("")], expect: { steps: [] } },
  {
    name: "recurse: a symbolic mode compared path by path",
    args: { path: "/srv", state: "directory", mode: "u=rwX,go=rX", recurse: true },
    probes: [dir("755"), ok("d 755\nf 644\nf 600\n")],
    expect: { steps: [["chmod", "-R", "u=rwX,go=rX", "--", "/srv"]] },
  },
  { name: "a symbolic mode already there", args: { path: "/x", mode: "u+x,g-w" }, probes: [present({ content: "", mode: "744" })], expect: { steps: [] } },
  { name: "absent when present", args: { name: "/tmp/x", state: "absent" }, probes: [present({ content: "" })], expect: { steps: [["rm", "-rf", "--", "/tmp/x"]] } },
  { name: "absent when absent", args: { path: "/tmp/x", state: "absent" }, probes: [absent()], expect: { steps: [] } },
  { name: "touch creates", args: { path: "/tmp/x", state: "touch", mode: "0600" }, probes: [absent()], expect: { steps: [["touch", "--", "/tmp/x"], ["chmod", "0600", "--", "/tmp/x"]] } },
  { name: "touch on an existing file updates its times", args: { path: "/tmp/x", state: "touch" }, probes: [present({ content: "" })], expect: { steps: [["touch", "-c", "--", "/tmp/x"]] } },
  {
    name: "touch preserving both times is ok",
    args: { path: "/tmp/x", state: "touch", access_time: "preserve", modification_time: "preserve" },
    probes: [present({ content: "" })],
    expect: { steps: [] },
  },
  {
    name: "an explicit modification time the file already has",
    args: { path: "/tmp/x", modification_time: "202601021504.00" },
    probes: [present({ content: "" }), ok("same\n")],
    expect: { steps: [] },
  },
  {
    name: "an explicit modification time to set",
    args: { path: "/tmp/x", modification_time: "202601021504.00" },
    probes: [present({ content: "" }), ok("differs\n")],
    expect: { steps: [["touch", "-c", "-m", "-d", "2026-01-02 15:04:00", "--", "/tmp/x"]] },
  },
  { name: "state file on a directory fails", args: { path: "/srv", state: "file" }, probes: [dir()], expect: { failed: /is directory, cannot continue/ } },
  { name: "file state on a missing file fails", args: { path: "/tmp/x" }, probes: [absent()], expect: { failed: /does not exist/ } },
  { name: "file attributes", args: { path: "/tmp/x", group: "adm" }, probes: [present({ content: "" })], expect: { steps: [["chown", ":adm", "--", "/tmp/x"]] } },
  { name: "link already right", args: { path: "/l", src: "/t", state: "link" }, probes: [present({ kind: "link", mode: "777", target: "/t" }), present({ content: "" })], expect: { steps: [] } },
  { name: "link without state is kept a link", args: { path: "/l", src: "/t" }, probes: [present({ kind: "link", mode: "777", target: "/t" })], expect: { steps: [] } },
  { name: "link to a missing src fails", args: { path: "/d/l", src: "t", state: "link" }, probes: [absent(), absent()], expect: { failed: /src file does not exist.*: \/d\/t/ } },
  { name: "link to a missing src with force", args: { path: "/d/l", src: "t", state: "link", force: true }, probes: [absent(), absent(), ok("")], expect: { steps: [["ln", "-sfn", "--", "t", "/d/l"]] } },
  { name: "link to another target", args: { path: "/l", src: "/t", state: "link" }, probes: [present({ kind: "link", mode: "777", target: "/old" }), present({})], expect: { steps: [["ln", "-sfn", "--", "/t", "/l"]] } },
  { name: "link over a file without force fails", args: { path: "/l", src: "/t", state: "link" }, probes: [present({ content: "x" }), present({})], expect: { failed: /not a link/ } },
  {
    name: "link over an empty directory with force",
    args: { path: "/l", src: "/t", state: "link", force: true },
    probes: [dir(), present({}), ok("")],
    expect: { steps: [["rmdir", "--", "/l"], ["ln", "-sfn", "--", "/t", "/l"]] },
  },
  { name: "link over a full directory fails even with force", args: { path: "/l", src: "/t", state: "link", force: true }, probes: [dir(), present({}), ok("a\n")], expect: { failed: /not empty/ } },
  {
    name: "link owner goes to the target (follow)",
    args: { path: "/l", src: "/t", state: "link", owner: "app" },
    probes: [present({ kind: "link", mode: "777", target: "/t" }), present({}), present({}), ok("")],
    expect: { steps: [["chown", "app", "--", "/l"]] },
  },
  {
    name: "link owner without follow changes the link (-h)",
    args: { path: "/l", src: "/t", state: "link", owner: "app", follow: false },
    probes: [present({ kind: "link", mode: "777", target: "/t" }), present({}), ok("")],
    expect: { steps: [["chown", "-h", "app", "--", "/l"]] },
  },
  { name: "hard link already", args: { path: "/h", src: "/t", state: "hard" }, probes: [present({ content: "x", inode: "5" }), present({ content: "x", inode: "5" })], expect: { steps: [], probeCount: 2 } },
  { name: "hard link over a file fails", args: { path: "/h", src: "/t", state: "hard" }, probes: [present({ content: "x", inode: "6" }), present({ content: "x", inode: "5" })], expect: { failed: /not a hard link/ } },
  { name: "hard link over a file with force", args: { path: "/h", src: "/t", state: "hard", force: true }, probes: [present({ content: "x", inode: "6" }), present({ content: "x", inode: "5" })], expect: { steps: [["ln", "-f", "--", "/t", "/h"]] } },
  { name: "hard link to itself fails", args: { path: "/t", src: "/t", state: "hard" }, probes: [present({ content: "x", inode: "5" }), present({ content: "x", inode: "5" })], expect: { failed: /to itself/ } },
];

describe("file", () => {
  it.each(cases)("$name", (golden) => {
    runGolden(file, golden);
  });
});

describeSchemaCases("file", [
  { name: "unknown argument", args: { path: "/x", sate: "absent" }, issues: [{ path: ["sate"], message: /unknown argument 'sate'/, hint: /did you mean 'state'/ }] },
  { name: "missing path", args: { state: "directory" }, issues: [{ path: ["path"], message: /missing required argument 'path'/ }] },
  { name: "bad state", args: { path: "/x", state: "gone" }, issues: [{ path: ["state"], message: /got string 'gone'/ }] },
  { name: "link without src", args: { path: "/x", state: "link" }, issues: [{ path: ["src"], message: /needs 'src'/ }] },
  { name: "recurse without directory", args: { path: "/x", recurse: true, state: "file" }, issues: [{ path: ["recurse"], message: /needs state: directory/ }] },
  { name: "a time not in its format", args: { path: "/x", modification_time: "yesterday" }, issues: [{ path: ["modification_time"], message: /%Y%m%d%H%M/ }] },
  { name: "a mode neither octal nor symbolic", args: { path: "/x", mode: "rw-r--r--" }, issues: [{ path: ["mode"], message: /symbolic/ }] },
  { name: "wrong type", args: { path: "/x", recurse: 3 }, issues: [{ path: ["recurse"], message: /expected a boolean/ }] },
]);

describe("file when the host cannot answer", () => {
  it("a failed stat becomes a failed task, not a crash", () => {
    runGolden(file, { name: "stat fails", args: { path: "/root/x", state: "directory" }, probes: [{ rc: 1, stdout: "", stderr: "stat: Permission denied" }], expect: { failed: /cannot stat: stat: Permission denied/ } });
  });
});
