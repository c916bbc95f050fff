import { execFileSync, spawnSync } from "node:child_process";
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { batchScript, batchUnits, runProbes, splitBatchOutput } from "../../../src/executor/probe-batch.js";
import { fileStateGroup } from "../../../src/modules/support/file-state-group.js";
import { factsCommand } from "../../../src/facts/gather.js";
import { splitSections } from "../../../src/facts/parse.js";
import { shScript } from "../../../src/transport/quote.js";
import { getentGroup } from "../../../src/modules/support/getent-group.js";
import { idGroup } from "../../../src/modules/support/id-group.js";
import { readFileGroup } from "../../../src/modules/support/read-file-group.js";
import { readFileProbe } from "../../../src/modules/support/content.js";
import { fileStateProbe } from "../../../src/modules/support/file-state.js";
import type { Probe } from "../../../src/modules/types.js";
import { LocalTransport } from "../../../src/transport/local.js";
import { sampleProbes } from "./sample-probes.js";
import type { CommandResult, RunOptions } from "../../../src/transport/types.js";

const probes = sampleProbes;

/** Counts the scripts a transport is asked to run. */
class CountingTransport extends LocalTransport {
  runs = 0;
  override run(argv: readonly string[], options?: RunOptions): Promise<CommandResult> {
    this.runs += 1;
    return super.run(argv, options);
  }
}

/** Each probe's result in one batch (a probe of no group after them) equals its result alone, and the batch took one read. */
async function expectAsAlone(list: readonly Probe[]): Promise<void> {
  const transport = new CountingTransport();
  const alone = await Promise.all([...list, sampleProbes[0] as Probe].map((probe) => transport.run(probe.argv)));
  transport.runs = 0;
  expect(await runProbes(transport, [...list, sampleProbes[0] as Probe], undefined)).toEqual(alone);
  expect(transport.runs).toBe(1);
}

describe("the probe batch", () => {
  it("gives each probe the result it gets when run alone", async () => {
    const transport = new LocalTransport();
    const alone = await Promise.all(probes.map((probe) => transport.run(probe.argv)));
    expect(await runProbes(transport, probes, undefined)).toEqual(alone);
  }, 60_000);

  it("needs no temp file: stderr is split on the channel's own stderr", () => {
    const script = batchScript(["true"], "M");
    expect(script).not.toContain("mktemp");
    expect(script).toContain(">&2");
  });

  it("gives no probe what was said on stderr before the script started (sudo, a login script)", async () => {
    const noisy = new (class extends LocalTransport {
      override run(argv: readonly string[], options?: RunOptions): Promise<CommandResult> {
        return super.run(["sh", "-c", 'echo "sudo: unable to resolve host" >&2; exec "$@"', "sh", ...argv], options);
      }
    })();
    const alone = await Promise.all(probes.map((probe) => new LocalTransport().run(probe.argv)));
    expect(await runProbes(noisy, probes, undefined)).toEqual(alone);
  }, 60_000);

  it("reports the commands a broken script did not reach as missing", () => {
    const results = splitBatchOutput({ rc: 255, stdout: "out\nM 0\nmore", stderr: "err\nM\nconnection lost" }, "M", 2);
    expect(results).toEqual([{ rc: 0, stdout: "out", stderr: "err" }, undefined]);
  });

  it("puts the file-state probes of a batch into one group, at the first one's place", () => {
    const units = batchUnits([probes[0] as Probe, fileStateProbe("/a"), probes[1] as Probe, fileStateProbe("/b", true)]);
    expect(units.map((unit) => unit.kind)).toEqual(["probe", "group", "probe"]);
  });
});

describe("the file-state group", () => {
  const dir = mkdtempSync(join(tmpdir(), "runbook-file-state-group-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const at = (name: string): string => join(dir, name);
  writeFileSync(at("file"), "content\n");
  writeFileSync(at("empty"), "");
  mkdirSync(at("dir"));
  chmodSync(at("dir"), 0o750);
  symlinkSync(at("file"), at("link"));
  symlinkSync(at("nowhere"), at("dangling"));
  symlinkSync("dir", at("relative-link"));
  const odd = ["-starts-with-dash", "it's \"quoted\" $x `y`", "back\\slash", "new\nline", "space at end "];
  for (const name of odd) writeFileSync(at(name), name);
  symlinkSync("target\nwith newline", at("odd-link"));
  // targets that stat's escape quoting style writes with escapes, and one that is not UTF-8
  symlinkSync("back\\slash\ttab é -> x\n\n", at("escaped-link"));
  symlinkSync(Buffer.from([0x61, 0xff, 0xc3, 0x0a, 0x01]) as unknown as string, at("bytes-link"));
  const paths = ["file", "empty", "dir", "link", "dangling", "relative-link", "absent", "dir/absent/deeper", ...odd, "odd-link"].map(at);
  const variants = paths.flatMap((path) => [fileStateProbe(path), fileStateProbe(path, true), fileStateProbe(path, false, true), fileStateProbe(path, true, true)]);

  it("answers every path as its own script does, whatever the path and the flags", async () => {
    const transport = new CountingTransport();
    const alone = await Promise.all(variants.map((probe) => transport.run(probe.argv)));
    transport.runs = 0;
    const batched = await runProbes(transport, [...variants, ...probes], undefined);
    expect(batched).toEqual([...alone, ...(await Promise.all(probes.map((probe) => new LocalTransport().run(probe.argv))))]);
    expect(transport.runs).toBe(1);
  }, 60_000);

  it("answers in one read when nothing is unusual", async () => {
    const plain = ["file", "empty", "dir", "link", "dangling", "absent", "-starts-with-dash", "new\nline", "odd-link", "relative-link", "escaped-link", "bytes-link"].map(at);
    const group = plain.flatMap((path) => [fileStateProbe(path), fileStateProbe(path, true), fileStateProbe(path, true, true)]);
    const transport = new CountingTransport();
    const alone = await Promise.all(group.map((probe) => transport.run(probe.argv)));
    transport.runs = 0;
    expect(await runProbes(transport, group, undefined)).toEqual(alone);
    expect(transport.runs).toBe(1);
  }, 60_000);

  it("leaves the members to their own scripts when an output does not add up", () => {
    const members = [[at("file"), "1", "0"], [at("dir"), "0", "0"]];
    const clean = { rc: 0, stderr: "" };
    const outputs = [
      { ...clean, stdout: "HE" },
      { ...clean, stdout: "regular file|644|root|root|0|0|8|1:2\n" }, // one line for two paths
      { ...clean, stdout: `${"a".repeat(64)}  ${at("file")}\n` },
      { ...clean, stdout: "" },
    ];
    // a link the shell saw whose target did not come back
    expect(fileStateGroup.results([[at("link"), "0", "0"]], [{ ...clean, stdout: "L" }, { ...clean, stdout: "link|777|root|root|0|0|4|1:3\n" }, { ...clean, stdout: "" }, { ...clean, stdout: "" }])).toEqual([undefined]);
    expect(fileStateGroup.results(members, outputs)).toEqual([undefined, undefined]);
    expect(fileStateGroup.results(members, [{ ...clean, stdout: "HEX" }, ...outputs.slice(1)])).toEqual([undefined, undefined]);
  });
});

describe("the id group", () => {
  const users = readFileSync("/etc/passwd", "utf8").split("\n").map((line) => line.split(":")[0] ?? "").filter((name) => name !== "").slice(0, 12);
  const idProbes = [...users, "no-such-user-here"].flatMap((user) => [{ argv: ["id", "-gn", "--", user] }, { argv: ["id", "-Gn", "--", user] }]);

  it("answers id -gn and id -Gn as they answer, one id per user, a missing user too", async () => {
    const transport = new CountingTransport();
    const alone = await Promise.all(idProbes.map((probe) => transport.run(probe.argv)));
    transport.runs = 0;
    expect(await runProbes(transport, [...idProbes, sampleProbes[0] as Probe], undefined)).toEqual([...alone, await transport.run((sampleProbes[0] as Probe).argv)]);
    expect(transport.runs).toBe(2); // the batch and the comparison above
  }, 60_000);

  it("takes only a clean answer", () => {
    const clean = { rc: 0, stderr: "" };
    const members = [["-gn", "u"], ["-Gn", "u"]];
    expect(idGroup.results(members, [{ ...clean, stdout: "uid=1(u) gid=2(g) groups=2(g),3(h)\n" }])).toEqual([
      { ...clean, stdout: "g\n" },
      { ...clean, stdout: "g h\n" },
    ]);
    // a group without a name
    expect(idGroup.results(members, [{ ...clean, stdout: "uid=1(u) gid=2(g) groups=2(g),3\n" }])).toEqual([undefined, undefined]);
    // a missing user: the same failure for each flag; any other failure is left to them
    const missing = { rc: 1, stdout: "", stderr: "id: \u2018u\u2019: no such user\n" };
    expect(idGroup.results(members, [missing])).toEqual([missing, missing]);
    expect(idGroup.results(members, [{ ...missing, stderr: "id: cannot find name for group ID 3\n" }])).toEqual([undefined, undefined]);
  });
});

describe("the getent group", () => {
  const names = (file: string): string[] => readFileSync(file, "utf8").split("\n").map((line) => line.split(":")[0] ?? "").filter((name) => name !== "");
  const getentProbes = [
    ...[...names("/etc/passwd").slice(0, 12), "no-such-user-here"].map((user) => ({ argv: ["getent", "passwd", user] })),
    ...[...names("/etc/group").slice(0, 12), "no-such-group-here"].map((group) => ({ argv: ["getent", "group", group] })),
  ];

  it("answers getent passwd and group as getent does, in the one read, missing names included", async () => {
    await expectAsAlone(getentProbes);
  }, 60_000);

  it("starts no getent for a name the files answer", () => {
    const commands = getentGroup.commands([["passwd", "root"], ["group", "root"], ["passwd", "no-such-user-here"]]);
    const output = execFileSync("dash", ["-c", ["getent() { echo getent-started; }", ...commands].join("\n")], { encoding: "utf8" });
    expect(output.split("\n").filter((line) => line !== "")).toEqual([expect.stringMatching(/^root:/), expect.stringMatching(/^root:/), "getent-started"]);
  });

  it("takes a name only, not a number getent would look up as an id", () => {
    expect(getentGroup.member(["getent", "passwd", "root"])).toEqual(["passwd", "root"]);
    expect(getentGroup.member(["getent", "passwd", "0"])).toBeUndefined();
    expect(getentGroup.member(["getent", "shadow", "root"])).toBeUndefined();
  });
});

describe("the facts group", () => {
  it("runs the facts script in the batch's own shell, with the result it has alone, and leaves the probes after it the shell they saw", async () => {
    const facts = { argv: factsCommand() };
    expect(batchUnits([facts, ...probes]).map((unit) => unit.kind)).toEqual(["group", ...probes.map(() => "probe")]);
    // other labs' interfaces come and go on the machine: each script runs in a network namespace of its own
    const isolated = spawnSync("unshare", ["--net", "true"]).status === 0;
    const transport = new (class extends LocalTransport {
      override run(argv: readonly string[], options?: RunOptions): Promise<CommandResult> {
        return super.run(isolated ? ["unshare", "--net", ...argv] : argv, options);
      }
    })();
    // a probe that sees the shell's variables, functions, options and arguments
    const looker = { argv: shScript('printf "%s|" "$#" "$-" "$IFS" "${l-unset}" "${p-unset}"; command -v s c n || echo none') };
    const alone = await Promise.all([facts, looker, ...probes].map((probe) => transport.run(probe.argv)));
    const batched = await runProbes(transport, [facts, looker, ...probes], undefined);
    expect(batched).toEqual(alone);
    expect(splitSections(batched[0]?.stdout ?? "").has("end")).toBe(true);
  }, 60_000);
});

describe("the read-file group", () => {
  const dir = mkdtempSync(join(tmpdir(), "runbook-read-file-group-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const at = (name: string): string => join(dir, name);
  const files: Record<string, string | Buffer> = {
    "plain": "a = 1\nb = 2\n",
    "no newline at end": "last line",
    "empty": "",
    "new\nline": "\n\n",
    "binary": Buffer.from([0, 1, 2, 0xff, 0xfe, 10, 0]),
    "it's \"quoted\" $x": "x",
  };
  for (const [name, content] of Object.entries(files)) writeFileSync(at(name), content);
  mkdirSync(at("dir"));
  symlinkSync(at("plain"), at("link"));
  symlinkSync(at("nowhere"), at("dangling"));
  const paths = [...Object.keys(files), "dir", "link", "dangling", "absent", "x/y"].map(at);
  const reads = [...paths, ...paths].map((path) => readFileProbe(path)); // more than one cat's worth

  it("answers every read as its own script does, in one read", async () => {
    await expectAsAlone(reads);
  }, 60_000);

  it("leaves the files to their own scripts when a file holds the mark", async () => {
    const kinds = { rc: 0, stdout: "__runbook_cat_00\nCC", stderr: "" };
    expect(readFileGroup.results([["/a"], ["/b"]], [kinds, { rc: 0, stdout: "one__runbook_cat_00\n__runbook_cat_00\ntwo", stderr: "" }])).toEqual([undefined, undefined]);
    expect(readFileGroup.results([["/a"], ["/b"]], [kinds, { rc: 0, stdout: "one__runbook_cat_00\ntwo", stderr: "" }])).toEqual([
      { rc: 0, stdout: "one", stderr: "" },
      { rc: 0, stdout: "two", stderr: "" },
    ]);
  });
});
