/**
 * ed25519 key pairs in OpenSSH's own formats, made from Node's crypto. Not ssh2's
 * `utils.generateKeyPairSync`: it drops a leading zero byte of the public key (1 key in 256
 * starts with one), and sshd refuses such a host key ("error in libcrypto", "no hostkeys
 * available") so the light host's init exited: the lab's one cause of hosts that died while
 * coming up. The layout is OpenSSH's PROTOCOL.key: an unencrypted "openssh-key-v1" container.
 */
import { createPrivateKey, createPublicKey, generateKeyPairSync, randomBytes, type KeyObject } from "node:crypto";

export interface KeyPair {
  readonly privateKey: string;
  readonly publicKey: string;
}

const KEY_TYPE = "ssh-ed25519";
/** DER prefix of a PKCS#8 ed25519 private key; the 32-byte seed follows. */
const PKCS8_ED25519_PREFIX = Buffer.from("302e020100300506032b657004220420", "hex");

/** A new key pair; `seed` (32 bytes) makes it reproducible, for tests. */
export function generateKeyPair(comment: string, seed?: Buffer): KeyPair {
  const privateKey = seed === undefined ? generateKeyPairSync("ed25519").privateKey : seedKey(seed);
  const publicRaw = rawPublicKey(createPublicKey(privateKey));
  const seedRaw = Buffer.from(privateKey.export({ format: "jwk" }).d ?? "", "base64url");
  const publicBlob = Buffer.concat([sshString(KEY_TYPE), sshString(publicRaw)]);
  return {
    privateKey: privateKeyFile(publicBlob, publicRaw, seedRaw, comment),
    publicKey: `${KEY_TYPE} ${publicBlob.toString("base64")} ${comment}\n`,
  };
}

function seedKey(seed: Buffer): KeyObject {
  if (seed.length !== 32) throw new Error("an ed25519 seed is 32 bytes");
  return createPrivateKey({ key: Buffer.concat([PKCS8_ED25519_PREFIX, seed]), format: "der", type: "pkcs8" });
}

/** The 32 public bytes, always 32: base64url of the JWK `x`, never an integer that loses zeros. */
export function rawPublicKey(key: KeyObject): Buffer {
  return Buffer.from(key.export({ format: "jwk" }).x ?? "", "base64url");
}

function privateKeyFile(publicBlob: Buffer, publicRaw: Buffer, seedRaw: Buffer, comment: string): string {
  const check = randomBytes(4);
  const body = Buffer.concat([
    check,
    check,
    sshString(KEY_TYPE),
    sshString(publicRaw),
    sshString(Buffer.concat([seedRaw, publicRaw])), // OpenSSH keeps seed || public key
    sshString(comment),
  ]);
  const padding = Buffer.from(Array.from({ length: (8 - (body.length % 8)) % 8 }, (_, i) => i + 1));
  const container = Buffer.concat([
    Buffer.from("openssh-key-v1\0", "latin1"),
    sshString("none"), // cipher
    sshString("none"), // kdf
    sshString(""), // kdf options
    uint32(1), // one key
    sshString(publicBlob),
    sshString(Buffer.concat([body, padding])),
  ]);
  const lines = container.toString("base64").match(/.{1,70}/g) ?? [];
  return `-----BEGIN OPENSSH PRIVATE KEY-----\n${lines.join("\n")}\n-----END OPENSSH PRIVATE KEY-----\n`;
}

function sshString(value: Buffer | string): Buffer {
  const bytes = typeof value === "string" ? Buffer.from(value, "utf8") : value;
  return Buffer.concat([uint32(bytes.length), bytes]);
}

function uint32(value: number): Buffer {
  const bytes = Buffer.alloc(4);
  bytes.writeUInt32BE(value);
  return bytes;
}
