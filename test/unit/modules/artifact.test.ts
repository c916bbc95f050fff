import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "vitest";
import { artifact } from "../../../src/modules/artifact.js";
import { absent, ok, present, rc, runGolden, sha, written, type GoldenCase } from "./helpers.js";
import { describeSchemaCases } from "./schema-cases.js";

const artifactsDir = mkdtempSync(join(tmpdir(), "runbook-artifacts-"));
writeFileSync(join(artifactsDir, "tool"), "#!/bin/sh\necho tool\n");
const content = "#!/bin/sh\necho tool\n";

const cases: GoldenCase[] = [
  {
    name: "same sha256 on the host: nothing to do",
    args: { src: "tool", dest: "/usr/local/bin/tool", mode: "0755", sha256: sha(content) },
    context: { artifactsDir },
    probes: [present({ content, mode: "755" }), ok(content)],
    expect: { steps: [] },
  },
  {
    name: "missing on the host: put",
    args: { src: "tool", dest: "/usr/local/bin/", mode: "0755" },
    context: { artifactsDir },
    probes: [absent(), rc(1)],
    expect: { steps: [{ put: "/usr/local/bin/tool", content, mode: "0755" }], effects: [written("/usr/local/bin/tool", content, { mode: "0755" })] },
  },
  {
    name: "mode differs only",
    args: { src: "tool", dest: "/usr/local/bin/tool", mode: "0755" },
    context: { artifactsDir },
    probes: [present({ content, mode: "644" }), ok(content)],
    expect: { steps: [["chmod", "0755", "--", "/usr/local/bin/tool"]] },
  },
  {
    name: "wrong expected checksum fails before sending",
    args: { src: "tool", dest: "/usr/local/bin/tool", sha256: "0".repeat(64) },
    context: { artifactsDir },
    probes: [absent(), rc(1)],
    expect: { failed: /has sha256 .* expected 0000/ },
  },
  {
    name: "missing artifact fails",
    args: { src: "nope", dest: "/x" },
    context: { artifactsDir },
    probes: [absent(), rc(1)],
    expect: { failed: /cannot read artifact .*nope: ENOENT/ },
  },
];

describe("artifact", () => {
  it.each(cases)("$name", (golden) => {
    runGolden(artifact, golden);
  });
});

describeSchemaCases("artifact", [
  { name: "unknown argument", args: { src: "a", dest: "/b", checksum: "x" }, issues: [{ path: ["checksum"], message: /unknown argument/ }] },
  { name: "missing dest", args: { src: "a" }, issues: [{ path: ["dest"], message: /missing required/ }] },
  { name: "bad sha256", args: { src: "a", dest: "/b", sha256: "abc" }, issues: [{ path: ["sha256"], message: /64 hex digits/ }] },
]);
