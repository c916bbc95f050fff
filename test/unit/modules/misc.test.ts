import { describe, expect, it } from "vitest";
import { debug } from "../../../src/modules/debug.js";
import { fail } from "../../../src/modules/fail.js";
import { setFact } from "../../../src/modules/set-fact.js";
import { stat } from "../../../src/modules/stat.js";
import { waitFor } from "../../../src/modules/wait-for.js";
import { assert } from "../../../src/modules/assert.js";
import { ping } from "../../../src/modules/ping.js";
import { createHash } from "node:crypto";
import { absent, fakeContext, ok, rc, runGolden, stepsOf, type GoldenCase } from "./helpers.js";
import { describeSchemaCases } from "./schema-cases.js";

const sha1 = (text: string): string => createHash("sha1").update(text).digest("hex");

describe("stat", () => {
  const statLine = (type: string, mode: string, size: number): string => `${type}|${mode}|root|root|0|0|${size}|77|2049|1|1700000000|1700000001|1700000002`;
  it.each<GoldenCase>([
    { name: "missing", args: { path: "/x" }, probes: [absent()], expect: { steps: [], changed: false, data: { stat: { exists: false, path: "/x" } } } },
    {
      name: "a file, sha1 by default",
      args: { path: "/x" },
      probes: [ok(`${statLine("regular file", "4750", 2)}\naccess rwx\nchecksum ${sha1("hi")}  -\n`)],
      expect: {
        steps: [],
        changed: false,
        data: { stat: { exists: true, isreg: true, isdir: false, mode: "4750", uid: 0, size: 2, checksum: sha1("hi"), isuid: true, xusr: true, roth: false, executable: true, mtime: 1700000001 } },
      },
    },
    {
      name: "a link, not followed",
      args: { path: "/l" },
      probes: [ok(`${statLine("symbolic link", "777", 1)}\naccess rw\nlink f\nsource /f\n`)],
      expect: { data: { stat: { exists: true, islnk: true, isreg: false, lnk_target: "f", lnk_source: "/f", executable: false } } },
    },
    { name: "a directory", args: { path: "/d" }, probes: [ok(`${statLine("directory", "755", 4096)}\naccess rwx\n`)], expect: { data: { stat: { exists: true, isdir: true, isreg: false } } } },
    { name: "a short answer", args: { path: "/d" }, probes: [ok("directory|755\n")], expect: { failed: /unexpected stat output/ } },
  ])("$name", (golden) => {
    runGolden(stat, golden);
  });

  it("asks for the chosen checksum command and follow", () => {
    const facts = stat.facts?.(stat.schema.parse({ path: "/x", follow: true, checksum_algorithm: "sha256" }), fakeContext());
    expect(facts?.stat.argv.slice(-3)).toEqual(["/x", "1", "sha256sum"]);
    const off = stat.facts?.(stat.schema.parse({ path: "/x", get_checksum: false }), fakeContext());
    expect(off?.stat.argv.slice(-3)).toEqual(["/x", "0", ""]);
  });
});

describe("controller-side modules", () => {
  it.each<GoldenCase>([
    { name: "debug msg", args: { msg: "hello" }, expect: { steps: [], changed: false, data: { msg: "hello" } } },
    { name: "debug var (dotted)", args: { var: "result.rc" }, context: { vars: { result: { rc: 3 } } }, expect: { data: { "result.rc": 3 } } },
    { name: "debug undefined var", args: { var: "nope" }, expect: { data: { nope: "VARIABLE IS NOT DEFINED!" } } },
    { name: "set_fact", args: { a: 1, b: [2] }, expect: { setFacts: { a: 1, b: [2] }, changed: false } },
    { name: "fail", args: { msg: "no" }, expect: { failed: "no" } },
    { name: "fail default message", args: {}, expect: { failed: /Failed as requested/ } },
    { name: "assert with booleans", args: { that: [true, true] }, expect: { steps: [], changed: false } },
    { name: "assert false", args: { that: [true, false], fail_msg: "broken" }, expect: { failed: "broken" } },
  ])("$name", (golden) => {
    runGolden({ debug, fail, set_fact: setFact, assert }[golden.name.split(" ")[0] as "debug"] as typeof debug, golden);
  });

  it("plan to a verdict alone: ok or fail, never a step or a fact", () => {
    const plans = [
      runGolden(debug, { name: "debug", args: { msg: "x" }, expect: { probeCount: 0 } }),
      runGolden(setFact, { name: "set_fact", args: { a: 1 }, expect: { probeCount: 0 } }),
      runGolden(assert, { name: "assert", args: { that: [true] }, expect: { probeCount: 0 } }),
      runGolden(fail, { name: "fail", args: {}, expect: { probeCount: 0, failed: /Failed/ } }),
    ];
    expect(plans.map((plan) => plan.kind)).toEqual(["ok", "ok", "ok", "fail"]);
    expect(plans.flatMap(stepsOf)).toEqual([]);
  });

  it("assert's failure carries what was evaluated", () => {
    const plan = runGolden(assert, { name: "assert", args: { that: [false] }, expect: { failed: /Assertion failed: false/ } });
    expect(plan.data).toEqual({ assertion: false, evaluated_to: false });
  });

  it("all controller-side modules are marked local", () => {
    expect([debug, fail, setFact, assert].every((definition) => definition.local === true)).toBe(true);
  });
});

describe("ping", () => {
  it.each<GoldenCase>([
    { name: "answers", args: {}, facts: { answers: ok() }, expect: { changed: false, steps: [], data: { ping: "pong" } } },
    { name: "cannot run true", args: {}, facts: { answers: rc(127, "", "sh: true: not found") }, expect: { failed: "the host could not run 'true': sh: true: not found" } },
    { name: "crash", args: { data: "crash" }, facts: { answers: ok() }, expect: { failed: /boom/ } },
  ])("$name", (golden) => {
    runGolden(ping, golden);
  });
});

describe("wait_for", () => {
  it("is one run step that reports no change", () => {
    const plan = runGolden(waitFor, { name: "port", args: { port: 5432, timeout: 5 }, expect: { changed: false, probeCount: 0 } });
    expect(stepsOf(plan)).toHaveLength(1);
    const step = stepsOf(plan)[0];
    expect(step?.kind === "run" && step.argv.slice(-7)).toEqual(["port", "127.0.0.1", "5432", "up", "5", "0", "1"]);
  });
});

describeSchemaCases("wait_for", [
  { name: "neither port nor path", args: { timeout: 3 }, issues: [{ path: ["port"], message: /exactly one of 'port' or 'path'/ }] },
  { name: "unknown argument", args: { port: 1, time_out: 3 }, issues: [{ path: ["time_out"], message: /unknown argument/, hint: /timeout/ }] },
  { name: "bad port", args: { port: 70000 }, issues: [{ path: ["port"], message: /got number 70000/ }] },
]);
describe("debug var", () => {
  it("shows the variable the way Ansible does, as its message", () => {
    const shown = runGolden(debug, { name: "debug var shown", args: { var: "result.rc" }, context: { vars: { result: { rc: 3 } } }, expect: {} });
    expect(shown.msg).toBe('"result.rc": 3');
    const missing = runGolden(debug, { name: "debug var missing", args: { var: "nope" }, expect: {} });
    expect(missing.msg).toBe('"nope": "VARIABLE IS NOT DEFINED!"');
  });
});

describeSchemaCases("set_fact", [{ name: "bad variable name", args: { "a-b": 1 }, issues: [{ path: ["a-b"], message: /variable name/ }] }]);
describeSchemaCases("assert", [{ name: "missing that", args: {}, issues: [{ path: ["that"], message: /missing required argument 'that'/ }] }]);
describeSchemaCases("debug", [{ name: "unknown argument", args: { mgs: "x" }, issues: [{ path: ["mgs"], message: /unknown argument/, hint: /msg/ }] }]);
