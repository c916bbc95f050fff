import { describe, expect, it } from "vitest";
import { authorizedKey } from "../../../src/modules/authorized-key.js";
import { editKeyFile, parseOptions } from "../../../src/modules/support/authorized-keys.js";
import { fakeContext, ok, planWith, stepsOf } from "./helpers.js";

const key = "ssh-ed25519 AAAAkey1 alice";
const present = { state: "present" as const, exclusive: false };

describe("authorized_keys text, as Ansible rewrites it", () => {
  it("appends a new key after the other lines, which stay as they were", () => {
    expect(editKeyFile("# hand\n\nssh-rsa AAAAold  old\n", { ...present, keys: key })).toEqual({ kind: "edit", write: true, text: "# hand\n\nssh-rsa AAAAold old\nssh-ed25519 AAAAkey1 alice\n" });
  });
  it("writes nothing when the key is there with the same type, options and comment", () => {
    expect(editKeyFile(`${key}\n`, { ...present, keys: key })).toEqual({ kind: "edit", write: false, text: `${key}\n` });
  });
  it("moves a key whose comment changed to the end, with a trailing space when it has none", () => {
    expect(editKeyFile("ssh-ed25519 AAAAkey1 old\nssh-rsa AAAAx x\n", { ...present, keys: "ssh-ed25519 AAAAkey1" }).kind === "edit" && editKeyFile("ssh-ed25519 AAAAkey1 old\nssh-rsa AAAAx x\n", { ...present, keys: "ssh-ed25519 AAAAkey1" })).toMatchObject({ text: "ssh-rsa AAAAx x\nssh-ed25519 AAAAkey1 \n" });
  });
  it("with exclusive, keeps only the wanted keys (comments go too)", () => {
    expect(editKeyFile("# note\nssh-rsa AAAAx x\n", { ...present, exclusive: true, keys: key })).toMatchObject({ write: true, text: `${key}\n` });
  });
  it("removes a key by its blob, whatever its comment", () => {
    expect(editKeyFile(`${key}\nssh-rsa AAAAx x\n`, { state: "absent", exclusive: false, keys: "ssh-ed25519 AAAAkey1 other" })).toMatchObject({ write: true, text: "ssh-rsa AAAAx x\n" });
  });
  it("splits options on commas outside quotes, and refuses a line without a key type", () => {
    expect(parseOptions('from="a,b",no-pty')).toEqual([["from", '"a,b"'], ["no-pty", null]]);
    expect(editKeyFile("", { ...present, keys: "not a key" })).toEqual({ kind: "invalid", key: "not a key" });
  });
});

describe("authorized_key's plan", () => {
  it("makes ~/.ssh 0700 and the file 0600, both the user's", () => {
    const probe = ok("user 1001 1002\nfile /home/a/.ssh/authorized_keys\n");
    const steps = stepsOf(planWith(authorizedKey, authorizedKey.schema.parse({ user: "a", key }), { probes: [probe] }, fakeContext()));
    expect(steps[0]).toMatchObject({ kind: "run", argv: expect.arrayContaining(["/home/a/.ssh", "1001", "1002"]) });
    expect(steps[1]).toMatchObject({ kind: "put", path: "/home/a/.ssh/authorized_keys", mode: "0600", owner: "1001", group: "1002", content: Buffer.from(`${key}\n`) });
  });
  it("fails for a user that does not exist", () => {
    const plan = planWith(authorizedKey, authorizedKey.schema.parse({ user: "nobody-here", key }), { probes: [ok("nouser\n")] }, fakeContext());
    expect(plan.kind === "fail" ? plan.error : "").toMatch(/Failed to lookup user nobody-here/);
  });
});
