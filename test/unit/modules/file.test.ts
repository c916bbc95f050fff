import { describe, it } from "vitest";
import { file } from "../../../src/modules/file.js";
import { absent, ok, present, runGolden, type GoldenCase } from "./helpers.js";
import { describeSchemaCases } from "./schema-cases.js";

const dir = (mode = "755", owner = "root") => present({ kind: "directory", mode, owner, group: owner });

const cases: GoldenCase[] = [
  { name: "directory exists as wanted", args: { path: "/srv", state: "directory", mode: "0755" }, probes: [dir()], expect: { steps: [], probeCount: 1 } },
  {
    name: "directory missing: mkdir then attributes",
    args: { path: "/srv/data", state: "directory", mode: "0750", owner: "app" },
    probes: [absent()],
    expect: { steps: [["mkdir", "-p", "--", "/srv/data"], ["chown", "app", "--", "/srv/data"], ["chmod", "0750", "--", "/srv/data"]] },
  },
  { name: "directory mode only", args: { dest: "/srv", state: "directory", mode: "0700" }, probes: [dir()], expect: { steps: [["chmod", "0700", "--", "/srv"]] } },
  { name: "directory over a file fails", args: { path: "/srv", state: "directory" }, probes: [present({ content: "x" })], expect: { failed: /not a directory/ } },
  {
    name: "recurse: something below differs",
    args: { path: "/srv", state: "directory", owner: "app", recurse: true },
    probes: [dir("755", "app"), ok("/srv/x\n")],
    expect: { steps: [["chown", "-R", "app", "--", "/srv"]], probeCount: 2 },
  },
  { name: "recurse: all as wanted", args: { path: "/srv", state: "directory", owner: "app", recurse: true }, probes: [dir("755", "app"), ok("")], expect: { steps: [] } },
  { name: "absent when present", args: { name: "/tmp/x", state: "absent" }, probes: [present({ content: "" })], expect: { steps: [["rm", "-rf", "--", "/tmp/x"]] } },
  { name: "absent when absent", args: { path: "/tmp/x", state: "absent" }, probes: [absent()], expect: { steps: [] } },
  { name: "touch creates", args: { path: "/tmp/x", state: "touch", mode: "0600" }, probes: [absent()], expect: { steps: [["touch", "--", "/tmp/x"], ["chmod", "0600", "--", "/tmp/x"]] } },
  { name: "touch on an existing file is idempotent", args: { path: "/tmp/x", state: "touch" }, probes: [present({ content: "" })], expect: { steps: [] } },
  { name: "file state on a missing file fails", args: { path: "/tmp/x" }, probes: [absent()], expect: { failed: /does not exist/ } },
  { name: "file attributes", args: { path: "/tmp/x", group: "adm" }, probes: [present({ content: "" })], expect: { steps: [["chown", ":adm", "--", "/tmp/x"]] } },
  { name: "link already right", args: { path: "/l", src: "/t", state: "link" }, probes: [present({ kind: "link", mode: "777", target: "/t" })], expect: { steps: [] } },
  { name: "link to another target", args: { path: "/l", src: "/t" }, probes: [present({ kind: "link", mode: "777", target: "/old" })], expect: { steps: [["ln", "-sfn", "--", "/t", "/l"]] } },
  { name: "link over a file without force fails", args: { path: "/l", src: "/t", state: "link" }, probes: [present({ content: "x" })], expect: { failed: /not a link/ } },
  { name: "link over a directory with force", args: { path: "/l", src: "/t", state: "link", force: true }, probes: [dir()], expect: { steps: [["rm", "-rf", "--", "/l"], ["ln", "-sfn", "--", "/t", "/l"]] } },
  { name: "link owner changed with -h", args: { path: "/l", src: "/t", state: "link", owner: "app" }, probes: [present({ kind: "link", mode: "777", target: "/t" })], expect: { steps: [["chown", "-h", "app", "--", "/l"]] } },
  { name: "hard link already", args: { path: "/h", src: "/t", state: "hard" }, probes: [present({ content: "x", inode: "5" }), present({ content: "x", inode: "5" })], expect: { steps: [], probeCount: 2 } },
  { name: "hard link to make", args: { path: "/h", src: "/t", state: "hard" }, probes: [present({ content: "x", inode: "6" }), present({ content: "x", inode: "5" })], expect: { steps: [["ln", "-f", "--", "/t", "/h"]] } },
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
  { name: "recurse without directory", args: { path: "/x", recurse: true }, issues: [{ path: ["recurse"], message: /needs state: directory/ }] },
  { name: "wrong type", args: { path: "/x", recurse: 3 }, issues: [{ path: ["recurse"], message: /expected a boolean/ }] },
]);

describe("file when the host cannot answer", () => {
  it("a failed stat becomes a failed task, not a crash", () => {
    runGolden(file, { name: "stat fails", args: { path: "/root/x", state: "directory" }, probes: [{ rc: 1, stdout: "", stderr: "stat: Permission denied" }], expect: { failed: /cannot stat: stat: Permission denied/ } });
  });
});
