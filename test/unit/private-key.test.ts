import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { privateKeyOption } from "../../src/transport/private-key.js";

const dir = mkdtempSync(join(tmpdir(), "runbook-key-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("privateKeyOption", () => {
  it("hands the file's text, read again when the file is written again at the same path", () => {
    const file = join(dir, "id_ed25519");
    writeFileSync(file, "first key\n");
    expect(privateKeyOption(file)).toEqual({ privateKey: "first key\n" });
    expect(privateKeyOption(file)).toEqual({ privateKey: "first key\n" });
    // a lab brought up again under the same name writes a new key where the old one was
    rmSync(file);
    writeFileSync(file, "second key, longer\n");
    expect(privateKeyOption(file)).toEqual({ privateKey: "second key, longer\n" });
  });

  it("leaves a file it cannot read to node-ssh, by path", () => {
    const missing = join(dir, "missing");
    expect(privateKeyOption(missing)).toEqual({ privateKeyPath: missing });
  });
});
