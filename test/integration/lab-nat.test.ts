/** --nat: a host reaches the Debian mirror through the lab's nft table, and nothing else; without it, no route out. */
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";
import { labDown, labExec, labUnavailableReason, labUp } from "../../src/lab/index.js";
import { nftTableName } from "../../src/lab/naming.js";
import { nftTables, testLabName } from "./lab-helpers.js";

const NAT_LAB = testLabName("nat");
const PLAIN_LAB = testLabName("nonat");

const execFileAsync = promisify(execFile);
const unavailable = labUnavailableReason("light", true);

describe.skipIf(unavailable !== undefined)("lab --nat", () => {
  afterAll(async () => {
    await labDown(NAT_LAB);
    await labDown(PLAIN_LAB);
  });

  it("lets apt-get update reach the mirror", async () => {
    await labUp({ name: NAT_LAB, hosts: 1, nat: true });
    expect(await nftTables()).toContain(nftTableName(NAT_LAB));
    const route = await labExec(NAT_LAB, "h1", ["ip", "route", "show", "default"]);
    expect(route.stdout).toMatch(/^default via /);
    const update = await labExec(NAT_LAB, "h1", ["timeout", "90", "apt-get", "update", "-q"]);
    expect(update.rc, update.stderr).toBe(0);
  });

  it("drops traffic to anything but the mirror and the resolver", async () => {
    // TEST-NET-2: never a mirror; the lab's forward chain must drop it before it leaves
    const probe = await labExec(NAT_LAB, "h1", ["timeout", "3", "bash", "-c", "echo > /dev/tcp/198.51.100.1/80"]);
    expect(probe.rc).not.toBe(0);
    const { stdout } = await execFileAsync("nft", ["list", "table", "ip", nftTableName(NAT_LAB)]);
    expect(stdout).toMatch(/ip daddr != @allowed counter packets [1-9]/);
  });

  it("gives hosts no default route without --nat", async () => {
    await labUp({ name: PLAIN_LAB, hosts: 1 });
    const route = await labExec(PLAIN_LAB, "h1", ["ip", "route", "show", "default"]);
    expect(route.stdout.trim()).toBe("");
  });

  it("removes the nft table with lab down", async () => {
    await labDown(NAT_LAB);
    expect(await nftTables()).not.toContain(nftTableName(NAT_LAB));
  });
});
