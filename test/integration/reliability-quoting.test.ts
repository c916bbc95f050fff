/**
 * Property test against a real lab host: at least 10,000 random strings (quotes, newlines, $(),
 * backticks, leading dashes, any Unicode; any bytes for file contents) sent as command
 * arguments, file names and file contents come back unchanged. Values are batched (many per
 * remote command, all quoted by transport/quote.ts) so the whole test takes seconds.
 */
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import type { LabInfo } from "../../src/lab/index.js";
import { createTransport } from "../../src/transport/connect.js";
import { MAX_COMMAND_BYTES } from "../../src/transport/ssh.js";
import { shellJoin, shScript } from "../../src/transport/quote.js";
import type { Transport } from "../../src/transport/types.js";
import { isLabReady } from "./setup/lab.js";

const lab = inject("lab");

const NASTY = ["'", '"', "\n", "\r", "\t", " ", "$(", ")", "`", "\\", "-", "--", "-e", "$HOME", "${x}", ";", "|", "&", "!", "*", "?", "~", "#", "%", "{", "}", "[", "]", "<", ">", "é", "\u202e", "😀", "\u00a0"];

/** Strings built from shell-hostile pieces and any Unicode code point (no NUL: argv cannot carry it). */
const nastyString = fc
  .array(fc.oneof(fc.constantFrom(...NASTY), fc.string({ unit: "binary", maxLength: 6 })), { maxLength: 12 })
  .map((parts) => parts.join("").replaceAll("\u0000", ""));

/** A file name: no '/', no NUL, not '.' or '..', at most 255 bytes. */
const fileName = nastyString
  .map((name) => name.replaceAll("/", "_"))
  .filter((name) => name !== "" && name !== "." && name !== ".." && Buffer.byteLength(name) <= 255);

// endOnFailure: shrinking a 200-value batch costs hundreds of remote round trips; the failing batch is reported whole
const ARG_BATCHES = 34;
const ARGS_PER_BATCH = 200; // 6,800 arguments
const NAME_BATCHES = 15;
const NAMES_PER_BATCH = 200; // 3,000 file names
const CONTENT_BATCHES = 10;
const CONTENTS_PER_BATCH = 20; // 200 file contents (written with put): 10,000 values in all

/** A batch of values whose quoted command line fits what a remote command may be. */
function fittingBatch<T extends string>(values: fc.Arbitrary<T>, size: number): fc.Arbitrary<T[]> {
  return fc.uniqueArray(values, { minLength: size, maxLength: size }).filter((list) => Buffer.byteLength(shellJoin(list)) < MAX_COMMAND_BYTES - 1024);
}

function nulSeparated(text: string): string[] {
  const parts = text.split("\u0000");
  parts.pop(); // after the last terminator
  return parts;
}

describe.skipIf(!isLabReady(lab))("quoting property test (real lab host)", () => {
  const info = lab as LabInfo;
  let transport: Transport;
  const base = `/root/rl-quoting-${process.pid}`;

  beforeAll(async () => {
    const host = info.hosts[info.hosts.length - 1] as { name: string; address: string };
    transport = createTransport({
      host: host.name,
      address: host.address,
      port: 22,
      user: "root",
      privateKeyFile: info.keyFile,
      connection: "ssh",
      knownHostsFile: info.knownHostsFile,
    });
    await transport.connect();
    await transport.run(["mkdir", "-p", base]);
  });

  afterAll(async () => {
    await transport.run(["rm", "-rf", base]);
    await transport.close();
  });

  it(`${ARG_BATCHES * ARGS_PER_BATCH} command arguments arrive unchanged`, async () => {
    let sent = 0;
    await fc.assert(
      fc.asyncProperty(fittingBatch(nastyString, ARGS_PER_BATCH), async (values) => {
        const result = await transport.run(["printf", "%s\\0", ...values]);
        sent += values.length;
        expect(result.rc).toBe(0);
        expect(nulSeparated(result.stdout)).toEqual(values);
      }),
      { numRuns: ARG_BATCHES, endOnFailure: true },
    );
    expect(sent).toBeGreaterThanOrEqual(ARG_BATCHES * ARGS_PER_BATCH);
  });

  it("a command line too long for sshd fails cleanly and the connection stays usable", async () => {
    await expect(transport.run(["printf", "%s", "x".repeat(300_000)])).rejects.toThrow(/command line is \d+ bytes/);
    expect((await transport.run(["echo", "still here"])).stdout).toBe("still here\n");
  });

  it(`${NAME_BATCHES * NAMES_PER_BATCH} file names are created and listed back unchanged`, async () => {
    let batch = 0;
    await fc.assert(
      fc.asyncProperty(fittingBatch(fileName, NAMES_PER_BATCH), async (names) => {
        const dir = `${base}/names-${batch++}`;
        const script = 'd=$1; shift; mkdir -p "$d" && cd "$d" && for n do : > "./$n" || exit 1; done; find . -mindepth 1 -maxdepth 1 -printf "%P\\0"';
        const result = await transport.run(shScript(script, dir, ...names));
        expect(result.stderr).toBe("");
        expect(nulSeparated(result.stdout).sort()).toEqual([...names].sort());
      }),
      { numRuns: NAME_BATCHES, endOnFailure: true },
    );
  });

  it(`${CONTENT_BATCHES * CONTENTS_PER_BATCH} file contents (any bytes) and paths survive put`, async () => {
    let batch = 0;
    const item = fc.record({ name: fileName, content: fc.oneof(fc.uint8Array({ maxLength: 300 }), nastyString.map((text) => new TextEncoder().encode(text))) });
    await fc.assert(
      fc.asyncProperty(fc.uniqueArray(item, { minLength: CONTENTS_PER_BATCH, maxLength: CONTENTS_PER_BATCH, selector: (entry) => entry.name }), async (items) => {
        const dir = `${base}/contents-${batch++}`;
        await transport.run(["mkdir", "-p", dir]);
        // concurrently, on the connection's parallel channels
        await Promise.all(items.map(({ name, content }) => transport.put(`${dir}/${name}`, Buffer.from(content))));
        // one round trip reads them all back: each file as base64, in the order given
        const script = 'cd "$1" && shift && for n do base64 -w0 < "./$n" || exit 1; printf "\\0"; done';
        const result = await transport.run(shScript(script, dir, ...items.map((entry) => entry.name)));
        expect(result.stderr).toBe("");
        const back = nulSeparated(result.stdout).map((text) => Buffer.from(text, "base64"));
        expect(back).toEqual(items.map((entry) => Buffer.from(entry.content)));
      }),
      { numRuns: CONTENT_BATCHES, endOnFailure: true },
    );
  });
});
