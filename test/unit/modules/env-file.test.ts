import { describe, expect, it } from "vitest";
import { envFile, parseEnvFile } from "../../../src/modules/env-file.js";
import { ok, planAfter, rc, runGolden, written, type GoldenCase } from "./helpers.js";

const SUBNET_ENV = "FLANNEL_NETWORK=10.0.0.0/16\nFLANNEL_SUBNET=10.0.42.1/24\nFLANNEL_MTU=1450\nFLANNEL_IPMASQ=false\n";

const cases: GoldenCase[] = [
  {
    name: "flannel's subnet.env",
    args: { path: "/run/flannel/subnet.env" },
    probes: [ok(SUBNET_ENV)],
    expect: { probeCount: 1, steps: [], data: { exists: true, env: { FLANNEL_NETWORK: "10.0.0.0/16", FLANNEL_SUBNET: "10.0.42.1/24", FLANNEL_MTU: "1450", FLANNEL_IPMASQ: "false" } } },
  },
  { name: "missing and required fails", args: { path: "/run/flannel/subnet.env" }, probes: [rc(3)], expect: { failed: /does not exist/ } },
  { name: "missing, not required", args: { path: "/x.env", required: false }, probes: [rc(3)], expect: { steps: [], data: { exists: false, env: {} } } },
  { name: "unreadable fails", args: { path: "/x.env", required: false }, probes: [rc(1, "", "cat: /x.env: Permission denied")], expect: { failed: /Permission denied/ } },
  { name: "unreadable without a word fails with the exit code", args: { path: "/x.env" }, probes: [rc(1)], expect: { failed: /^reading \/x.env failed: exit 1$/ } },
];

describe("env_file", () => {
  it.each(cases)("$name", (golden) => {
    runGolden(envFile, golden);
  });

  it("unquotes, skips comments and keeps the last of a repeated key", () => {
    const text = ["# comment", "export A='one two'", 'B="say \\"hi\\""', "C=plain # note", "not a line", "A=again", ""].join("\n");
    expect(parseEnvFile(text)).toEqual({ A: "again", B: 'say "hi"', C: "plain" });
  });

  it("skips commented-out assignments", () => {
    expect(parseEnvFile(["#D=off", "  # E=off", "F=on"].join("\n"))).toEqual({ F: "on" });
  });
});

describe("env_file in check mode, after earlier would-be changes", () => {
  it("reads the file an earlier task would write", () => {
    const plan = planAfter(envFile, { path: "/etc/default/app" }, [written("/etc/default/app", "PORT=8080\n")]);
    expect(plan.kind === "ok" && plan.data).toEqual({ exists: true, env: { PORT: "8080" } });
  });

  it("a file an earlier task would remove is missing", () => {
    const plan = planAfter(envFile, { path: "/etc/default/app", required: false }, [{ kind: "path", path: "/etc/default/app", after: { exists: false } }]);
    expect(plan.kind === "ok" && plan.data).toEqual({ exists: false, env: {} });
  });

  it("a file whose content the change did not say is unknown", () => {
    expect(planAfter(envFile, { path: "/etc/default/app" }, [{ kind: "path", path: "/etc/default/app", after: { exists: true, kind: "file" } }]).kind).toBe("unknown");
  });
});
