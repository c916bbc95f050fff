import { describe, expect, it } from "vitest";
import {
  checkHostKey,
  hashedMatches,
  hashHostName,
  keyTypeOfBlob,
  knownHostName,
  knownKeyTypes,
  parseKnownHosts,
  patternsMatch,
} from "../../src/transport/known-hosts.js";

const ED25519 = "AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl";
const OTHER_ED25519 = "AAAAC3NzaC1lZDI1NTE5AAAAIBaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
const RSA = "AAAAB3NzaC1yc2EAAAADAQABAAAAgQDx";

describe("knownHostName", () => {
  it.each([
    ["web1", 22, "web1"],
    ["10.0.0.5", 2222, "[10.0.0.5]:2222"],
  ])("%s port %d -> %s", (address, port, name) => expect(knownHostName(address, port)).toBe(name));
});

describe("patternsMatch", () => {
  it.each([
    ["web1", "web1", true],
    ["WEB1", "web1", true],
    ["web1,web2", "web2", true],
    ["web*", "web12", true],
    ["web?", "web12", false],
    ["web?", "web1", true],
    ["*.example.org,!bad.example.org", "bad.example.org", false],
    ["*.example.org,!bad.example.org", "good.example.org", true],
    ["[10.0.0.5]:2222", "[10.0.0.5]:2222", true],
    ["[10.0.0.5]:2222", "10.0.0.5", false],
    ["10.0.0.5", "[10.0.0.5]:2222", false],
    ["10.0.0.5", "10.0.0.55", false],
    ["a.b", "axb", false],
    // written by `ssh-keygen -H` for "[10.0.0.5]:2222"
    ["|1|oVqWKbBwzsViKMVe9dqIOtDuSew=|9wkogWxZYX47MtKTiz7fTGSe3NA=", "[10.0.0.5]:2222", true],
    ["|1|oVqWKbBwzsViKMVe9dqIOtDuSew=|9wkogWxZYX47MtKTiz7fTGSe3NA=", "10.0.0.5", false],
    ["|1|broken", "10.0.0.5", false],
  ])("%s matches %s: %s", (patterns, name, expected) => expect(patternsMatch(patterns, name)).toBe(expected));

  it("hashes names the way it reads them", () => {
    const salt = Buffer.alloc(20, 7);
    expect(hashedMatches(hashHostName("[h]:2", salt), "[h]:2")).toBe(true);
    expect(hashedMatches(hashHostName("[h]:2", salt), "[h]:3")).toBe(false);
  });
});

describe("parseKnownHosts", () => {
  it("reads markers, skips comments, blanks and malformed lines, and keeps line numbers", () => {
    const entries = parseKnownHosts(
      [`# comment`, ``, `web1,10.0.0.1 ssh-ed25519 ${ED25519} comment here`, `@revoked * ssh-rsa ${RSA}`, `@cert-authority *.lab ssh-ed25519 ${ED25519}`, `only-two fields`].join("\n"),
    );
    expect(entries).toEqual([
      { marker: undefined, patterns: "web1,10.0.0.1", keyType: "ssh-ed25519", key: ED25519, line: 3 },
      { marker: "revoked", patterns: "*", keyType: "ssh-rsa", key: RSA, line: 4 },
      { marker: "cert-authority", patterns: "*.lab", keyType: "ssh-ed25519", key: ED25519, line: 5 },
    ]);
  });
});

describe("checkHostKey", () => {
  const entries = parseKnownHosts(
    [`web1 ssh-rsa ${RSA}`, `web1,web2 ssh-ed25519 ${ED25519}`, `@revoked * ssh-ed25519 ${OTHER_ED25519}`, `@cert-authority web3 ssh-ed25519 ${ED25519}`].join("\n"),
  );

  it.each([
    ["web1", "ssh-ed25519", ED25519, { kind: "known", line: 2 }],
    ["web2", "ssh-ed25519", ED25519, { kind: "known", line: 2 }],
    ["web3", "ssh-ed25519", ED25519, { kind: "unknown", otherTypes: [] }], // CA lines are not host keys
    ["web9", "ssh-ed25519", ED25519, { kind: "unknown", otherTypes: [] }],
    ["web1", "ssh-ed25519", "AAAAdifferent", { kind: "changed", line: 2, keyType: "ssh-ed25519" }],
    ["web9", "ssh-ed25519", OTHER_ED25519, { kind: "revoked", line: 3 }],
    ["web2", "ssh-rsa", RSA, { kind: "unknown", otherTypes: ["ssh-ed25519"] }],
  ])("%s with %s key", (name, type, key, verdict) => expect(checkHostKey(entries, name, type, key)).toEqual(verdict));

  it("lists the key types known for a host, in file order", () => {
    expect(knownKeyTypes(entries, "web1")).toEqual(["ssh-rsa", "ssh-ed25519"]);
    expect(knownKeyTypes(entries, "nobody")).toEqual([]);
  });
});

describe("keyTypeOfBlob", () => {
  it("reads the type name at the start of a key blob", () => {
    expect(keyTypeOfBlob(Buffer.from(ED25519, "base64"))).toBe("ssh-ed25519");
    expect(keyTypeOfBlob(Buffer.from(RSA, "base64"))).toBe("ssh-rsa");
    expect(keyTypeOfBlob(Buffer.alloc(2))).toBe("unknown");
  });
});
