import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseExtraVars } from "../../../src/cli/extra-vars.js";
import { ParseError } from "../../../src/errors.js";
import { loadInventories } from "../../../src/inventory/load.js";
import { loadPlaybook } from "../../../src/playbook/load.js";
import { decryptVault, encryptVault, isVaultText, VAULT_HEADER } from "../../../src/vault/format.js";
import { VaultKeyring } from "../../../src/vault/keyring.js";
import { readPasswordFile, vaultPasswordFromFlags } from "../../../src/vault/password.js";

const dir = mkdtempSync(join(tmpdir(), "rl-vault-"));

describe("vault format", () => {
  it("round-trips any bytes, with a versioned header and base64 body", () => {
    const plain = Buffer.from("db_password: s3cr3t-Ü\n\u0000\xff", "latin1");
    const text = encryptVault(plain, "pw");
    expect(text.split("\n")[0]).toBe(VAULT_HEADER);
    expect(text.split("\n").slice(1).join("")).toMatch(/^[A-Za-z0-9+/=]+$/);
    expect(isVaultText(text)).toBe(true);
    expect(decryptVault(text, "pw", "f.yaml").equals(plain)).toBe(true);
  });

  it("uses a fresh salt and iv every time", () => {
    expect(encryptVault(Buffer.from("x"), "pw")).not.toBe(encryptVault(Buffer.from("x"), "pw"));
  });

  it.each([
    ["a wrong password", (text: string) => text, "other", /wrong vault password/],
    ["a changed byte", (text: string) => text.replace(/\n(.)/, (_, c: string) => `\n${c === "A" ? "B" : "A"}`), "pw", /wrong vault password|changed/],
    ["a truncated body", (text: string) => text.split("\n")[0] + "\nAAAA\n", "pw", /truncated/],
    ["an unknown version", (text: string) => text.replace(";1;", ";9;"), "pw", /not a runbook vault file/],
  ])("refuses %s with a located ParseError", (_name, mangle, password, message) => {
    const text = mangle(encryptVault(Buffer.from("a: 1\n"), "pw"));
    let error: unknown;
    try {
      decryptVault(text, password, "v.yaml");
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ParseError);
    expect((error as ParseError).message).toMatch(message);
    expect((error as ParseError).location?.file).toBe("v.yaml");
    expect((error as ParseError).hint).toBeTruthy();
  });
});

describe("vault password", () => {
  it("is the first line of the file", () => {
    const file = join(dir, "pw");
    writeFileSync(file, "hunter2\n");
    expect(readPasswordFile(file)).toBe("hunter2");
    expect(vaultPasswordFromFlags(undefined, { RUNBOOK_VAULT_PASSWORD_FILE: file })).toBe("hunter2");
    expect(vaultPasswordFromFlags(undefined, {})).toBeUndefined();
  });

  it("refuses an empty or missing file", () => {
    writeFileSync(join(dir, "empty"), "\n");
    expect(() => readPasswordFile(join(dir, "empty"))).toThrow(/empty/);
    expect(() => readPasswordFile(join(dir, "nope"))).toThrow(/cannot read/);
  });
});

describe("loading vault files transparently", () => {
  const project = mkdtempSync(join(tmpdir(), "rl-vault-project-"));
  writeFileSync(join(project, "secrets.yaml"), encryptVault(Buffer.from("db_password: correct-horse\nport: 5432\n"), "pw"));
  writeFileSync(join(project, "playbook.yaml"), "- hosts: all\n  vars_files: [secrets.yaml]\n  tasks: []\n");
  writeFileSync(join(project, "hosts.yaml"), "all:\n  hosts:\n    web1: {}\n");
  const groupVars = join(project, "group_vars");
  mkdirSync(groupVars);
  writeFileSync(join(groupVars, "all.yaml"), encryptVault(Buffer.from("api_token: tok-123456\n"), "pw"));

  it("decrypts vars_files and group_vars, recording their values as secrets", () => {
    const vault = new VaultKeyring("pw");
    const playbook = loadPlaybook(join(project, "playbook.yaml"), { vault });
    expect(playbook.plays[0]?.vars).toMatchObject({ db_password: "correct-horse", port: 5432 });
    const inventory = loadInventories([join(project, "hosts.yaml")], { vault });
    expect(inventory.hostVars("web1")).toMatchObject({ api_token: "tok-123456" });
    expect([...vault.secrets].sort()).toEqual(["5432", "correct-horse", "tok-123456"]);
  });

  it("says how to give the password when none was given", () => {
    expect(() => loadPlaybook(join(project, "playbook.yaml"))).toThrow(/vault-encrypted and no vault password/);
  });
});

describe("vault files a role or -e brings", () => {
  const project = mkdtempSync(join(tmpdir(), "rl-vault-role-"));
  mkdirSync(join(project, "roles", "app", "vars"), { recursive: true });
  mkdirSync(join(project, "roles", "app", "defaults"), { recursive: true });
  mkdirSync(join(project, "roles", "app", "tasks"), { recursive: true });
  writeFileSync(join(project, "roles", "app", "vars", "main.yaml"), encryptVault(Buffer.from("app_secret: s3cret-value\n"), "pw"));
  writeFileSync(join(project, "roles", "app", "defaults", "main.yaml"), encryptVault(Buffer.from("app_port: 8443\n"), "pw"));
  writeFileSync(join(project, "roles", "app", "tasks", "main.yaml"), "- debug: { msg: hi }\n");
  writeFileSync(join(project, "playbook.yaml"), "- hosts: all\n  roles: [app]\n");
  writeFileSync(join(project, "extra.yaml"), encryptVault(Buffer.from("deploy_key: k-987654\n"), "pw"));

  it("decrypts a role's vars/ and defaults/, as Ansible does", () => {
    const vault = new VaultKeyring("pw");
    const role = loadPlaybook(join(project, "playbook.yaml"), { vault }).plays[0]?.roles[0];
    expect(role?.vars).toEqual({ app_secret: "s3cret-value" });
    expect(role?.defaults).toEqual({ app_port: 8443 });
    expect(vault.secrets.has("s3cret-value")).toBe(true);
    expect(() => loadPlaybook(join(project, "playbook.yaml"))).toThrow(/vault-encrypted and no vault password/);
  });

  it("decrypts -e @file", () => {
    const vault = new VaultKeyring("pw");
    expect(parseExtraVars([`@${join(project, "extra.yaml")}`], vault)).toEqual({ deploy_key: "k-987654" });
    expect(() => parseExtraVars([`@${join(project, "extra.yaml")}`])).toThrow(/vault-encrypted and no vault password/);
  });
});
