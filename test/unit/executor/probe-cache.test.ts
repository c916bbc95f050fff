import { describe, expect, it } from "vitest";
import type { Login } from "../../../src/executor/connections.js";
import { ProbeCache } from "../../../src/executor/probe-cache.js";
import { probeScript, runProbes, splitProbeOutput } from "../../../src/executor/remote.js";
import type { Probe } from "../../../src/modules/types.js";
import { sampleProbes as probes } from "./sample-probes.js";
import { shScript } from "../../../src/transport/quote.js";
import { LocalTransport } from "../../../src/transport/local.js";

const ROOT: Login = { connection: "ssh", user: "root" };
const stat: Probe = { argv: ["test", "-e", "/etc"] };
const read: Probe = { argv: shScript('cat -- "$1"', "/etc/hostname") };
const ok = { rc: 0, stdout: "x", stderr: "" };

describe("ProbeCache", () => {
  it("answers only when every probe is cached, for the same become user", () => {
    const cache = new ProbeCache();
    cache.store(cache.reading("h1"), [stat], [ok], undefined, ROOT);
    expect(cache.take("h1", [stat], undefined, ROOT)).toEqual([ok]);
    expect(cache.take("h1", [stat, read], undefined, ROOT)).toBeUndefined();
    expect(cache.take("h1", [stat], { user: "postgres" }, ROOT)).toBeUndefined();
    expect(cache.take("h2", [stat], undefined, ROOT)).toBeUndefined();
  });

  it("keeps each login's answers apart: another remote_user reads the host as another user", () => {
    const cache = new ProbeCache();
    cache.store(cache.reading("h1"), [stat], [ok], undefined, ROOT);
    expect(cache.take("h1", [stat], undefined, { connection: "ssh", user: "deploy" })).toBeUndefined();
    expect(cache.take("h1", [stat], undefined, { connection: "local", user: "root", via: "localhost" })).toBeUndefined();
    expect(cache.take("h1", [stat], undefined, { connection: "ssh", user: "root" })).toEqual([ok]);
    // a step over any login is a step on the host
    cache.store(cache.reading("h1"), [stat], [ok], undefined, { connection: "ssh", user: "deploy" });
    cache.advance("h1");
    expect(cache.size("h1")).toBe(0);
  });

  it("forgets a host when something runs on it, and drops a batch that a change overtook", () => {
    const cache = new ProbeCache();
    cache.store(cache.reading("h1"), [stat], [ok], undefined, ROOT);
    cache.store(cache.reading("h2"), [stat], [ok], undefined, ROOT);
    const inFlight = cache.reading("h1");
    cache.advance("h1");
    expect(cache.current(inFlight)).toBe(false);
    expect(cache.take("h1", [stat], undefined, ROOT)).toBeUndefined();
    expect(cache.take("h2", [stat], undefined, ROOT)).toEqual([ok]);
    cache.store(inFlight, [read], [ok], undefined, ROOT);
    expect(cache.size("h1")).toBe(0);
  });

  it("does not keep a probe the script did not finish", () => {
    const cache = new ProbeCache();
    cache.store(cache.reading("h1"), [stat, read], [ok, { rc: -1, stdout: "", stderr: "probe did not finish" }], undefined, ROOT);
    expect(cache.size("h1")).toBe(1);
  });
});


describe("the batched probe script", () => {
  it("gives each probe the result it gets when run alone", async () => {
    const transport = new LocalTransport();
    const alone = await Promise.all(probes.map((probe) => transport.run(probe.argv)));
    const batched = await runProbes(transport, probes, undefined);
    expect(batched).toEqual(alone);
  });

  it("runs a sh -c probe in a subshell rather than a new sh", () => {
    const script = probeScript([{ argv: shScript('echo "$1"', "a") }, { argv: ["true"] }], "M");
    expect(script).toContain("( set -- a\necho \"$1\"\n)");
    expect(script).toContain("{ true ; }");
    expect(script).not.toMatch(/\bsh -c\b/);
  });

  it("reports the probes a broken script did not reach as failed", () => {
    const results = splitProbeOutput({ rc: 255, stdout: "out\nM 0\n\nM-end\n", stderr: "connection lost" }, "M", 2);
    expect(results[0]).toEqual({ rc: 0, stdout: "out", stderr: "" });
    expect(results[1]).toEqual({ rc: 255, stdout: "", stderr: "connection lost" });
  });
});
