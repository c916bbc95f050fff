import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { HostKeyVerifier, type HostKeyChecking } from "../../src/transport/host-key.js";

const dir = mkdtempSync(join(tmpdir(), "runbook-hostkey-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** An SSH wire-format key blob: string type, then some key bytes. */
function blob(type: string, fill: number): Buffer {
  const name = Buffer.from(type);
  const length = Buffer.alloc(4);
  length.writeUInt32BE(name.length);
  return Buffer.concat([length, name, Buffer.alloc(32, fill)]);
}

const verifier = (file: string, mode: HostKeyChecking): HostKeyVerifier =>
  new HostKeyVerifier({ host: "web1", address: "10.0.0.5", port: 2222, knownHostsFile: file, mode });

describe("HostKeyVerifier", () => {
  const known = blob("ssh-rsa", 1);
  const file = join(dir, "known_hosts");
  writeFileSync(file, `[10.0.0.5]:2222 ssh-rsa ${known.toString("base64")}\n`);

  it("offers the known key type's algorithms first", () => {
    expect(verifier(file, "strict").hostKeyAlgorithms().slice(0, 4)).toEqual(["rsa-sha2-512", "rsa-sha2-256", "ssh-rsa", "ssh-ed25519"]);
    expect(verifier(join(dir, "none"), "strict").hostKeyAlgorithms()[0]).toBe("ssh-ed25519");
  });

  it("accepts the known key and refuses others with a reason", () => {
    expect(verifier(file, "strict").verify(known)).toBe(true);
    const changed = verifier(file, "accept-new");
    expect(changed.verify(blob("ssh-rsa", 2))).toBe(false);
    expect(changed.refusal?.reason).toBe("host-key");
    expect(changed.refusal?.message).toMatch(/HAS CHANGED/);
    const unknownType = verifier(file, "strict");
    expect(unknownType.verify(blob("ssh-ed25519", 3))).toBe(false);
    expect(unknownType.refusal?.message).toMatch(/only ssh-rsa keys are known/);
  });

  it("records a new host in accept-new mode, creating the file", () => {
    const fresh = join(dir, "sub", "known_hosts");
    const key = blob("ssh-ed25519", 4);
    expect(verifier(fresh, "accept-new").verify(key)).toBe(true);
    expect(readFileSync(fresh, "utf8")).toBe(`[10.0.0.5]:2222 ssh-ed25519 ${key.toString("base64")}\n`);
    expect(verifier(fresh, "strict").verify(key)).toBe(true);
  });

  it("checks nothing when off", () => {
    expect(verifier(join(dir, "missing"), "off").verify(blob("ssh-ed25519", 5))).toBe(true);
  });
});
