/**
 * Lab keys must load in OpenSSH. ssh2's generator dropped the leading zero byte of 1 public key
 * in 256, and sshd refused such a host key, so a light host's init exited while it came up.
 */
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import ssh2 from "ssh2";
import { describe, expect, it } from "vitest";
import { generateKeyPair } from "../../../src/lab/openssh-key.js";

/** The first of a fixed sequence of seeds whose public key starts with 0x00 (about 1 in 256). */
function seedWithZeroLeadingPublicKey(): Buffer {
  for (let i = 0; i < 10_000; i++) {
    const seed = createHash("sha256").update(`seed ${i}`).digest();
    const blob = Buffer.from(generateKeyPair("probe", seed).publicKey.split(" ")[1] ?? "", "base64");
    if (blob[4 + "ssh-ed25519".length + 4] === 0) return seed;
  }
  throw new Error("no seed found");
}

const hasSshKeygen = (() => {
  try {
    execFileSync("ssh-keygen", ["-?"], { stdio: "ignore" });
  } catch (error) {
    return (error as { status?: number }).status !== undefined; // it ran (and printed usage)
  }
  return true;
})();

describe("lab key pairs", () => {
  const zeroSeed = seedWithZeroLeadingPublicKey();

  it.skipIf(!hasSshKeygen)("a key whose public half starts with a zero byte loads in ssh-keygen (OpenSSH)", () => {
    const pair = generateKeyPair("root@h1", zeroSeed);
    const file = join(mkdtempSync(join(tmpdir(), "rb-key-")), "id");
    writeFileSync(file, pair.privateKey, { mode: 0o600 });
    const derived = execFileSync("ssh-keygen", ["-y", "-f", file], { encoding: "utf8" });
    expect(derived.split(" ").slice(0, 2)).toEqual(pair.publicKey.split(" ").slice(0, 2));
  });

  it("ssh2 parses both halves, and every public key holds 32 bytes", () => {
    for (let i = 0; i < 600; i++) {
      const pair = i === 0 ? generateKeyPair("k", zeroSeed) : generateKeyPair(`k${i}`);
      const parsedPrivate = ssh2.utils.parseKey(pair.privateKey);
      const parsedPublic = ssh2.utils.parseKey(pair.publicKey);
      if (parsedPrivate instanceof Error || parsedPublic instanceof Error) throw new Error(`key ${i} does not parse`);
      const blob = parsedPublic.getPublicSSH();
      expect(blob.readUInt32BE(15), `key ${i}`).toBe(32);
      expect(parsedPrivate.getPublicSSH().equals(blob)).toBe(true);
    }
  });
});
