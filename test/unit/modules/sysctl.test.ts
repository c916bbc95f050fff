import { describe, expect, it } from "vitest";
import { sysctl } from "../../../src/modules/sysctl.js";
import { absent, effectsOf, ok, planAfter, present, rc, runGolden, written, type GoldenCase } from "./helpers.js";
import { describeSchemaCases } from "./schema-cases.js";

const FILE = "/etc/sysctl.conf";
const file = (text: string) => [present({ content: text }), ok(text)];

const cases: GoldenCase[] = [
  { name: "persisted and live already", args: { name: "net.ipv4.ip_forward", value: 1 }, probes: [...file("net.ipv4.ip_forward = 1\n"), ok("1\n")], expect: { steps: [], probeCount: 3 } },
  { name: "a right value keeps the file byte for byte", args: { name: "a.b", value: "yes" }, probes: [...file("#c\n a.b =  1 \nc.d = 2\n"), ok("1\n")], expect: { steps: [] } },
  {
    name: "new file and live value differs",
    args: { name: "net.ipv4.ip_forward", value: "1" },
    probes: [absent(), rc(1), ok("0\n")],
    expect: {
      steps: [{ put: FILE, content: "net.ipv4.ip_forward=1\n" }, ["sysctl", "-w", "net.ipv4.ip_forward=1"]],
      effects: [written(FILE, "net.ipv4.ip_forward=1\n"), { kind: "thing", subject: "sysctl:net.ipv4.ip_forward", after: "1" }],
    },
  },
  {
    name: "file right, live value differs: only sysctl -w",
    args: { name: "net.ipv4.ip_forward", value: "1" },
    probes: [...file("net.ipv4.ip_forward = 1\n"), ok("0\n")],
    expect: { steps: [["sysctl", "-w", "net.ipv4.ip_forward=1"]], effects: [{ kind: "thing", subject: "sysctl:net.ipv4.ip_forward", after: "1" }], msg: "net.ipv4.ip_forward is 0 now, wanted 1" },
  },
  {
    name: "file has an old value, live already right",
    args: { name: "vm.swappiness", value: 10 },
    probes: [...file("  # note\nvm.swappiness=60\nkernel.x = 1\nvm.swappiness = 30\n;x\n"), ok("10\n")],
    expect: { steps: [{ put: FILE, content: "# note\nvm.swappiness=10\nkernel.x=1\n;x\n", owner: "root", group: "root" }] },
  },
  { name: "multi-value keys compare word by word", args: { name: "net.ipv4.tcp_rmem", value: "4096 87380 6291456" }, probes: [...file("net.ipv4.tcp_rmem = 4096 87380 6291456\n"), ok("4096\t87380\t6291456\n")], expect: { steps: [] } },
  { name: "reload false: file only, live value not read", args: { name: "vm.swappiness", value: 10, reload: false }, probes: [absent(), rc(1)], expect: { steps: [{ put: FILE, content: "vm.swappiness=10\n" }], probeCount: 2 } },
  {
    name: "sysctl_set with reload false: file and live",
    args: { key: "vm.swappiness", val: " 10 ", reload: false, sysctl_set: true },
    probes: [absent(), rc(1), ok("60\n")],
    expect: { steps: [{ put: FILE, content: "vm.swappiness=10\n" }, ["sysctl", "-w", "vm.swappiness=10"]] },
  },
  {
    name: "ignoreerrors: an unknown key is written and set with -e",
    args: { name: "net.nope", value: true, ignoreerrors: true },
    probes: [absent(), rc(1), ok("")],
    expect: { steps: [{ put: FILE, content: "net.nope=1\n" }, ["sysctl", "-e", "-w", "net.nope=1"]] },
  },
  { name: "absent removes the line, and does not read the live value", args: { name: "vm.swappiness", state: "absent" }, probes: file("vm.swappiness = 10\n"), expect: { steps: [{ put: FILE, content: "", owner: "root", group: "root" }], probeCount: 2 } },
  { name: "absent of a key the file lacks changes nothing", args: { name: "vm.swappiness", state: "absent" }, probes: file("a = 1\n"), expect: { steps: [] } },
  { name: "unknown key fails", args: { name: "net.nope", value: 1 }, probes: [absent(), rc(1), rc(255, "", "sysctl: cannot stat /proc/sys/net/nope: No such file or directory\n")], expect: { failed: /unknown sysctl key net.nope/ } },
];

describe("sysctl", () => {
  it.each(cases)("$name", (golden) => {
    runGolden(sysctl, golden);
  });
});

describe("sysctl in check mode, after earlier would-be changes", () => {
  it("after its own predicted change (file and live value) there is nothing left to do", () => {
    const args = { name: "net.ipv4.ip_forward", value: "1" };
    const first = effectsOf(planAfter(sysctl, args, [], { state: absent(), content: rc(1), live: ok("0\n") }));
    expect(planAfter(sysctl, args, first).kind).toBe("ok");
  });

  it("a second key in the same file plans against the file the first would write", () => {
    const first = effectsOf(planAfter(sysctl, { name: "a.b", value: 1 }, [], { state: absent(), content: rc(1), live: ok("0\n") }));
    const second = planAfter(sysctl, { name: "c.d", value: 2 }, first, { live: ok("2\n") });
    expect(second.kind === "change" && second.steps).toEqual([{ kind: "put", path: FILE, content: Buffer.from("a.b=1\nc.d=2\n"), mode: undefined, owner: "root", group: "root" }]);
  });
});

describeSchemaCases("sysctl", [
  { name: "unknown argument", args: { name: "a.b", value: 1, sysctl_fil: "/x" }, issues: [{ path: ["sysctl_fil"], message: /unknown argument/, hint: /sysctl_file/ }] },
  { name: "missing value", args: { name: "a.b" }, issues: [{ path: ["value"], message: /needs 'value'/ }] },
  { name: "blank value", args: { name: "a.b", value: " " }, issues: [{ path: ["value"], message: /needs 'value'/ }] },
  { name: "missing name", args: { value: 1 }, issues: [{ path: ["name"], message: /missing required argument 'name'/ }] },
  { name: "bad key", args: { name: "a b", value: 1 }, issues: [{ path: ["name"], message: /sysctl key/ }] },
]);
