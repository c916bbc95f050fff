import { homedir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { createTransport, sshOptions } from "../../src/transport/connect.js";
import { LocalTransport } from "../../src/transport/local.js";
import { SshTransport } from "../../src/transport/ssh.js";

const base = { host: "web1", address: "10.0.0.5", port: 22, user: "deploy" } as const;

describe("createTransport", () => {
  it("chooses the transport by connection", () => {
    expect(createTransport({ ...base, connection: "local" })).toBeInstanceOf(LocalTransport);
    const ssh = createTransport({ ...base, connection: "ssh" });
    expect(ssh).toBeInstanceOf(SshTransport);
    expect(ssh.host).toBe("web1");
  });
});

describe("sshOptions", () => {
  it("fills safe defaults", () => {
    expect(sshOptions({ ...base, connection: "ssh" })).toMatchObject({
      knownHostsFile: join(homedir(), ".ssh", "known_hosts"),
      hostKeyChecking: "strict",
      connectTimeoutMs: 10_000,
      commandTimeoutMs: undefined,
      proxyJump: undefined,
    });
  });

  it("gives the jump host the target's user, key and checking unless it names its own", () => {
    const options = sshOptions({
      ...base,
      connection: "ssh",
      privateKeyFile: "/keys/id",
      hostKeyChecking: "accept-new",
      connectTimeoutSeconds: 3,
      proxyJump: { address: "bastion.example.org" },
    });
    expect(options.proxyJump).toMatchObject({
      address: "bastion.example.org",
      port: 22,
      user: "deploy",
      privateKeyFile: "/keys/id",
      hostKeyChecking: "accept-new",
      connectTimeoutMs: 3000,
    });
    expect(sshOptions({ ...base, connection: "ssh", proxyJump: { address: "b", port: 2200, user: "jump" } }).proxyJump).toMatchObject({ port: 2200, user: "jump" });
  });
});
