/**
 * replace, slurp, authorized_key, get_url, unarchive, uri and fetch over real SSH: a first run
 * changes the host (and fetch the controller's copy), a second changes nothing, and --check with
 * another value predicts only the replace and the fetch of the file it edits.
 * get_url and uri ask an HTTP server of this test on the lab's bridge (the controller's address).
 */
import { mkdtempSync, readFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { isLabReady } from "./setup/lab.js";
import { hostSh, runPlaybookJson, statusByHost, total } from "./helpers/engine.js";

const lab = inject("lab");
const HOST = "h7";
const FILES: Readonly<Record<string, string>> = { "/artifact.txt": "artifact from the controller\n", "/status.json": '{"ok": true}' };
const CHANGING = ["base directory", "start config", "replace", "authorized_key", "get_url", "unarchive", "fetch"];
const READING = ["slurp", "slurped content is the file", "uri", "uri answer is usable"];

function serve(): Promise<Server> {
  const server = createServer((request, response) => {
    const body = FILES[request.url ?? ""];
    response.writeHead(body === undefined ? 404 : 200, { "Content-Type": request.url?.endsWith(".json") ? "application/json" : "text/plain" });
    response.end(body ?? "not found");
  });
  return new Promise((resolve) => server.listen(0, "0.0.0.0", () => resolve(server)));
}

describe.skipIf(!isLabReady(lab))("replace, slurp, authorized_key, get_url, unarchive, uri, fetch over ssh", () => {
  if (!isLabReady(lab)) return;
  let server: Server;
  let args: string[];
  const fetchDir = mkdtempSync(join(tmpdir(), "runbook-itest-fetch-"));
  const statuses = (report: Parameters<typeof statusByHost>[0], tasks: readonly string[]) => Object.fromEntries(tasks.map((task) => [task, statusByHost(report, task)[HOST]]));

  beforeAll(async () => {
    server = await serve();
    // the controller is the first address of the lab's subnet (its bridge)
    const controller = lab.subnet.replace(/\.\d+\/\d+$/, ".1");
    args = ["--limit", HOST, "-e", `base_url=http://${controller}:${(server.address() as AddressInfo).port}`, "-e", `fetch_dir=${fetchDir}`];
    await hostSh(lab, HOST, "rm -rf /opt/itmf");
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it("a first run changes the host and reads with slurp and uri", async () => {
    const run = await runPlaybookJson(lab, "transfer-modules.yaml", [...args, "-e", "port=8080"]);
    expect(run.code, run.stderr).toBe(0);
    expect(statuses(run.report, [...CHANGING, ...READING])).toEqual(Object.fromEntries([...CHANGING.map((t) => [t, "changed"]), ...READING.map((t) => [t, "ok"])]));
    const state = await hostSh(lab, HOST, "cd /opt/itmf && cat app.conf artifact.txt keys/authorized_keys app/conf.txt && stat -c '%n %a' keys keys/authorized_keys artifact.txt app/bin/run.sh");
    expect(state).toBe(
      "port=8080\nname=a\nartifact from the controller\nssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIitmf it@mf\nconf\n" +
        "keys 700\nkeys/authorized_keys 600\nartifact.txt 640\napp/bin/run.sh 755\n",
    );
    expect(readFileSync(join(fetchDir, HOST, "opt/itmf/app.conf"), "utf8")).toBe("port=8080\nname=a\n");
  });

  it("a second run changes nothing", async () => {
    const run = await runPlaybookJson(lab, "transfer-modules.yaml", [...args, "-e", "port=8080"]);
    expect(run.code, run.stderr).toBe(0);
    expect(total(run.report, "changed")).toBe(0);
  });

  it("check mode with another port predicts the replace and the fetch of what it leaves, and writes nothing", async () => {
    const run = await runPlaybookJson(lab, "transfer-modules.yaml", [...args, "-e", "port=9090", "--check"]);
    expect(run.code, run.stderr).toBe(0);
    expect(statusByHost(run.report, "replace")[HOST]).toBe("changed");
    expect(statusByHost(run.report, "fetch")[HOST]).toBe("changed");
    expect(total(run.report, "changed")).toBe(2);
    expect(await hostSh(lab, HOST, "cat /opt/itmf/app.conf")).toBe("port=8080\nname=a\n");
    expect(readFileSync(join(fetchDir, HOST, "opt/itmf/app.conf"), "utf8")).toBe("port=8080\nname=a\n");
  });
});
