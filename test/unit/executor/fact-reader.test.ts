/** Reading facts: one rule for a fact that cannot be read, predictions first, and no stale read ever used. */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { readFacts } from "../../../src/executor/fact-reader.js";
import { Predictions } from "../../../src/executor/predictions.js";
import type { Login } from "../../../src/executor/connections.js";
import { ProbeCache } from "../../../src/executor/probe-cache.js";
import { fileStateFact } from "../../../src/modules/support/file-state.js";
import { ProbeError } from "../../../src/modules/support/probe-error.js";
import type { Fact } from "../../../src/modules/types.js";
import { LocalTransport } from "../../../src/transport/local.js";
import type { CommandResult, RunOptions } from "../../../src/transport/types.js";

const dir = mkdtempSync(join(tmpdir(), "runbook-facts-"));
const text: Fact<string> = {
  argv: ["cat", "--", join(dir, "value")],
  parse: (result) => {
    if (result.rc !== 0) throw new ProbeError(`cannot read the value: ${result.stderr.trim()}`);
    return result.stdout;
  },
};

/** A real local host on which, during its first command, a step "runs" (the cache's generation moves), as a delegated task from another host would. */
class ChangedMidRead extends LocalTransport {
  reads = 0;
  constructor(private readonly onFirstRead: () => void) {
    super();
  }
  override async run(argv: readonly string[], options?: RunOptions): Promise<CommandResult> {
    this.reads += 1;
    const result = await super.run(argv, options);
    if (this.reads === 1) this.onFirstRead();
    return result;
  }
}

const LOCAL: Login = { connection: "local", user: "root", via: "localhost" };

describe("readFacts", () => {
  it("parses every fact once, and a fact left undefined stays undefined", async () => {
    writeFileSync(join(dir, "value"), "v1");
    const outcome = await readFacts({ value: text, state: fileStateFact(join(dir, "value")), none: undefined }, { transport: new LocalTransport(), become: undefined, login: LOCAL });
    expect(outcome.kind).toBe("read");
    if (outcome.kind !== "read") return;
    expect(outcome.values["value"]).toBe("v1");
    expect(outcome.values["state"]).toMatchObject({ exists: true, kind: "file" });
    expect("none" in outcome.values && outcome.values["none"] === undefined).toBe(true);
  });

  it("a parser that throws fails the read with the fact's name, the message, rc and stderr", async () => {
    const missing: Fact<string> = { ...text, argv: ["cat", "--", join(dir, "nope")] };
    const outcome = await readFacts({ value: missing }, { transport: new LocalTransport(), become: undefined, login: LOCAL });
    expect(outcome).toMatchObject({ kind: "failed", failure: { fact: "value", rc: 1, message: expect.stringContaining("cannot read the value") } });
    if (outcome.kind === "failed") expect(outcome.failure.stderr).toContain("No such file");
  });

  it("in check mode a predicted subject answers instead of the host", async () => {
    const predictions = new Predictions();
    const path = join(dir, "value");
    predictions.record([{ kind: "path", path, after: { exists: false } }], "file");
    const outcome = await readFacts({ state: fileStateFact(path) }, { transport: new LocalTransport(), become: undefined, login: LOCAL, predictions });
    expect(outcome).toEqual({ kind: "read", values: { state: { exists: false } } });
  });

  it("a prediction the fact cannot turn into a value makes the read unknown", async () => {
    const predictions = new Predictions();
    const path = join(dir, "value");
    predictions.record([{ kind: "path", path, after: { exists: true, kind: "file" } }], "file");
    const outcome = await readFacts({ state: fileStateFact(path, { checksum: true }) }, { transport: new LocalTransport(), become: undefined, login: LOCAL, predictions });
    expect(outcome.kind).toBe("unknown");
  });

  it("a read overtaken by a step on the host is read again, and its stale answer is neither used nor kept", async () => {
    writeFileSync(join(dir, "value"), "before");
    const cache = new ProbeCache();
    const transport: ChangedMidRead = new ChangedMidRead(() => {
      writeFileSync(join(dir, "value"), "after");
      cache.advance(transport.host);
    });
    const outcome = await readFacts({ value: text }, { transport, become: undefined, login: LOCAL, cache });
    expect(transport.reads).toBe(2);
    expect(outcome).toEqual({ kind: "read", values: { value: "after" } });
    expect(cache.take(transport.host, [text], undefined, LOCAL)).toEqual([{ rc: 0, stdout: "after", stderr: "" }]);
  });
});

describe("facts that share a command", () => {
  it("send it once and get the same result object", async () => {
    writeFileSync(join(dir, "value"), "shared");
    class Counting extends LocalTransport {
      runs = 0;
      override async run(argv: readonly string[], options?: RunOptions): Promise<CommandResult> {
        this.runs += 1;
        return super.run(argv, options);
      }
    }
    const transport = new Counting();
    const seen: unknown[] = [];
    const spy = (name: string): Fact<string> => ({ ...text, parse: (result) => (seen.push(result), `${name}:${result.stdout}`) });
    const outcome = await readFacts({ a: spy("a"), b: spy("b") }, { transport, become: undefined, login: LOCAL });
    expect(outcome).toEqual({ kind: "read", values: { a: "a:shared", b: "b:shared" } });
    expect(transport.runs).toBe(1);
    expect(seen[0]).toBe(seen[1]);
  });
});
