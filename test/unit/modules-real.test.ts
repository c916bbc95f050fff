/** Modules applied for real on this machine through LocalTransport, in a temporary directory. */
import { execFile, execFileSync } from "node:child_process";
import { existsSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, readlinkSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { createServer, type AddressInfo } from "node:net";
import { createServer as createHttpServer } from "node:http";
import { spawnSync } from "node:child_process";
import { symlinkSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeEach, describe, expect, it } from "vitest";
import { blockinfile } from "../../src/modules/blockinfile.js";
import { command } from "../../src/modules/command.js";
import { copy } from "../../src/modules/copy.js";
import { file } from "../../src/modules/file.js";
import { lineinfile } from "../../src/modules/lineinfile.js";
import { shell } from "../../src/modules/shell.js";
import { stat } from "../../src/modules/stat.js";
import { sysctl } from "../../src/modules/sysctl.js";
import { template } from "../../src/modules/template.js";
import { uri } from "../../src/modules/uri.js";
import { waitFor } from "../../src/modules/wait-for.js";
import type { ModuleDefinition, PathAfter } from "../../src/modules/types.js";
import { LocalTransport } from "../../src/transport/local.js";
import { applyModule, runTasks, statusesOf, type TaskCall } from "./modules/apply.js";
import { factsOf, fakeContext, planWith, stepsOf } from "./modules/helpers.js";

const root = mkdtempSync(join(tmpdir(), "runbook-modules-"));
const transport = new LocalTransport();
// --diff on, so that the diffs carry the content the file had before
const ctx = fakeContext({ files: { "motd.txt": "welcome\n" }, templates: { "app.conf.hbs": "port = 8080\n" }, vars: { ansible_diff_mode: true } });
const isRoot = process.getuid?.() === 0;
let dir = root;
let count = 0;

beforeEach(() => {
  dir = join(root, String(count++));
  mkdirSync(dir);
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

const modeOf = (path: string): string => (statSync(path).mode & 0o7777).toString(8).padStart(4, "0");
const apply = (definition: ModuleDefinition, args: unknown) => applyModule(definition, args, transport, ctx);

describe("copy and template for real", () => {
  it("creates, then fixes the mode only, then replaces content", async () => {
    const dest = join(dir, "motd");
    const created = await apply(copy, { src: "motd.txt", dest, mode: "0640" });
    expect(stepsOf(created.first).map((step) => step.kind)).toEqual(["put"]);
    expect(readFileSync(dest, "utf8")).toBe("welcome\n");
    expect(modeOf(dest)).toBe("0640");

    const chmodOnly = await apply(copy, { src: "motd.txt", dest, mode: "0600" });
    expect(stepsOf(chmodOnly.first)).toEqual([{ kind: "run", argv: ["chmod", "0600", "--", dest] }]);

    if (isRoot) execFileSync("chown", ["nobody:nogroup", dest]);
    const replaced = await apply(copy, { content: "changed\n", dest });
    expect(replaced.first.kind === "change" && replaced.first.diffs).toEqual([{ path: dest, before: "welcome\n", after: "changed\n" }]);
    expect(modeOf(dest)).toBe("0600");
    if (isRoot) expect(statSync(dest).uid).not.toBe(0);
  });

  it("copies into a directory and changes the owner", async () => {
    const attributes = isRoot ? { owner: "nobody", group: "nogroup" } : {};
    await apply(copy, { src: "motd.txt", dest: `${dir}/`, ...attributes });
    expect(readFileSync(join(dir, "motd.txt"), "utf8")).toBe("welcome\n");
    if (isRoot) expect(statSync(join(dir, "motd.txt")).uid).not.toBe(0);
  });

  it("template writes the rendered text", async () => {
    const dest = join(dir, "app.conf");
    await apply(template, { src: "app.conf.hbs", dest });
    expect(readFileSync(dest, "utf8")).toBe("port = 8080\n");
  });
});

describe("file for real", () => {
  it("directory with mode, recursively owned", async () => {
    const path = join(dir, "a", "b");
    await apply(file, { path, state: "directory", mode: "0750" });
    expect(statSync(path).isDirectory()).toBe(true);
    expect(modeOf(path)).toBe("0750");
    writeFileSync(join(path, "f"), "x");
    if (isRoot) {
      const { first } = await apply(file, { path: join(dir, "a"), state: "directory", owner: "nobody", recurse: true });
      expect(stepsOf(first)).toHaveLength(1);
      expect(statSync(join(path, "f")).uid).toBe(statSync(path).uid);
    }
  });

  it("touch, symbolic link, hard link, absent", async () => {
    const target = join(dir, "target");
    // touch updates the times on every run; preserving them, a second run has nothing to do
    await apply(file, { path: target, state: "touch", mode: "0600", access_time: "preserve", modification_time: "preserve" });
    expect(modeOf(target)).toBe("0600");
    const link = join(dir, "link");
    await apply(file, { path: link, src: target, state: "link" });
    expect(readlinkSync(link)).toBe(target);
    await apply(file, { path: link, src: join(dir, "other"), state: "link", force: true });
    expect(readlinkSync(link)).toBe(join(dir, "other"));
    const hard = join(dir, "hard");
    await apply(file, { path: hard, src: target, state: "hard" });
    expect(statSync(hard).ino).toBe(statSync(target).ino);
    await apply(file, { path: link, state: "absent" });
    expect(() => lstatSync(link)).toThrow();
  });

  it("link over a directory needs force", async () => {
    const path = join(dir, "d");
    mkdirSync(path);
    await expect(apply(file, { path, src: "/tmp", state: "link" })).rejects.toThrow(/first plan failed/);
    await apply(file, { path, src: "/tmp", state: "link", force: true });
    expect(readlinkSync(path)).toBe("/tmp");
  });
});

describe("lineinfile and blockinfile for real", () => {
  it("replaces, inserts and removes lines", async () => {
    const path = join(dir, "sshd_config");
    writeFileSync(path, "Port 22\n#PermitRootLogin yes\n");
    await apply(lineinfile, { path, regexp: "^#?PermitRootLogin", line: "PermitRootLogin no" });
    await apply(lineinfile, { path, line: "UseDNS no", insertbefore: "BOF" });
    await apply(lineinfile, { path, regexp: "^Port", state: "absent" });
    expect(readFileSync(path, "utf8")).toBe("UseDNS no\nPermitRootLogin no\n");
  });

  it("edits the target of a symbolic link and keeps the link", async () => {
    const target = join(dir, "real.conf");
    const link = join(dir, "link.conf");
    writeFileSync(target, "a\n");
    execFileSync("ln", ["-s", target, link]);
    await apply(lineinfile, { path: link, line: "b" });
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    expect(readFileSync(target, "utf8")).toBe("a\nb\n");
  });

  it("refuses to rewrite a file that is not UTF-8", async () => {
    const path = join(dir, "latin1");
    writeFileSync(path, Buffer.from([0x63, 0x61, 0x66, 0xe9, 0x0a]));
    await expect(apply(lineinfile, { path, line: "x" })).rejects.toThrow(/first plan failed/);
    expect(readFileSync(path)).toEqual(Buffer.from([0x63, 0x61, 0x66, 0xe9, 0x0a]));
  });

  it("creates a file with a mode", async () => {
    const path = join(dir, "new.conf");
    await apply(lineinfile, { path, line: "a=1", create: true, mode: "0600" });
    expect(modeOf(path)).toBe("0600");
  });

  it("manages a block", async () => {
    const path = join(dir, "hosts");
    writeFileSync(path, "127.0.0.1 localhost\n");
    await apply(blockinfile, { path, block: "10.0.0.1 db\n" });
    await apply(blockinfile, { path, block: "10.0.0.2 db\n10.0.0.3 cache\n" });
    expect(readFileSync(path, "utf8")).toBe(
      "127.0.0.1 localhost\n# BEGIN ANSIBLE MANAGED BLOCK\n10.0.0.2 db\n10.0.0.3 cache\n# END ANSIBLE MANAGED BLOCK\n",
    );
    await apply(blockinfile, { path, state: "absent" });
    expect(readFileSync(path, "utf8")).toBe("127.0.0.1 localhost\n");
  });
});

describe("command and shell for real", () => {
  it("runs once thanks to creates, in chdir with env and stdin", async () => {
    const { first } = await apply(command, { argv: ["sh", "-c", 'cat > "$OUT"'], creates: "out.txt", chdir: dir, env: { OUT: "out.txt" }, stdin: "from stdin" });
    expect(stepsOf(first)).toHaveLength(1);
    expect(readFileSync(join(dir, "out.txt"), "utf8")).toBe("from stdin\n"); // stdin_add_newline, as Ansible
  });

  it("splits words without a shell", async () => {
    const out = join(dir, "words");
    await apply(command, { cmd: `touch '${out}' '$(id)'`, chdir: dir, creates: out });
    expect(existsSync(join(dir, "$(id)"))).toBe(true);
  });

  it("shell runs pipes, removes skips once the file is gone", async () => {
    const path = join(dir, "gone");
    writeFileSync(path, "");
    await apply(shell, { cmd: `rm "${path}" && echo ok | cat`, removes: path });
    expect(existsSync(path)).toBe(false);
  });
});

describe("stat and wait_for for real", () => {
  /** wait_for's one step: it waits, and changes nothing (an `ok` plan). */
  const argv = (args: unknown): readonly string[] => {
    const plan = waitFor.plan(waitFor.schema.parse(args), {}, ctx);
    expect(plan.kind).toBe("ok");
    const [step] = stepsOf(plan);
    return step?.kind === "run" ? step.argv : [];
  };

  it("stat reports a file", async () => {
    const path = join(dir, "s");
    writeFileSync(path, "abc");
    const { first } = await apply(stat, { path });
    expect(first.data).toMatchObject({ stat: { exists: true, isreg: true, size: 3 } });
  });

  it("wait_for a path that exists, and for one that is absent", async () => {
    const path = join(dir, "ready");
    writeFileSync(path, "");
    expect((await transport.run(argv({ path }))).rc).toBe(0);
    expect((await transport.run(argv({ path: join(dir, "never"), state: "absent" }))).rc).toBe(0);
    const timedOut = await transport.run(argv({ path: join(dir, "never"), timeout: 1 }));
    expect(timedOut.rc).toBe(1);
    expect(timedOut.stderr).toMatch(/timed out/);
  });

  it("wait_for an open port on 127.0.0.1", async () => {
    const server = createServer((socket) => socket.end());
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as AddressInfo;
    const result = await transport.run(argv({ port, timeout: 5 }));
    await new Promise((resolve) => server.close(resolve));
    expect(result.rc, result.stderr).toBe(0);
  });

  it("wait_for a closed port on 127.0.0.1 with state stopped", async () => {
    const result = await transport.run(argv({ port: 1, state: "stopped", timeout: 5 }));
    expect(result.rc).toBe(0);
    // the machine's tools decide which checker runs; make sure one exists
    expect(execFileSync("sh", ["-c", "command -v nc || command -v bash || command -v python3"], { encoding: "utf8" })).not.toBe("");
  });
});

describe("check mode predicts what the run then does", () => {
  /** The content check mode predicts for a path (undefined when it predicts none). */
  const predictedContent = (run: Awaited<ReturnType<typeof runTasks>>, path: string): Buffer | undefined => {
    const after = run.predictions.lookup(`path:${path}`)?.after as PathAfter | undefined;
    return after?.exists === true ? after.content : undefined;
  };

  it("absent, directory, then a lineinfile loop over one fresh file: the changes and the content the run writes", async () => {
    const parent = join(dir, "li");
    const path = join(parent, "settings");
    mkdirSync(parent);
    writeFileSync(path, "stale\n");
    const tasks: TaskCall[] = [
      { module: file, args: { path: parent, state: "absent" } },
      { module: file, args: { path: parent, state: "directory" } },
      ...["one", "two", "three"].map((item) => ({ module: lineinfile, args: { path, line: `level = ${item}`, create: true } })),
    ];
    const checked = await runTasks(tasks, transport, ctx, true);
    expect(statusesOf(checked)).toEqual(["changed", "changed", "changed", "changed", "changed"]);
    expect(readFileSync(path, "utf8"), "check mode changed nothing").toBe("stale\n");
    const real = await runTasks(tasks, transport, ctx, false);
    expect(statusesOf(real)).toEqual(statusesOf(checked));
    expect(readFileSync(path, "utf8")).toBe("level = one\nlevel = two\nlevel = three\n");
    expect(predictedContent(checked, path)).toEqual(readFileSync(path));
    const again = await runTasks(tasks.slice(2), transport, ctx, true);
    expect(statusesOf(again)).toEqual(["ok", "ok", "ok"]);
  });

  it("copy, then stat, a guarded command, blockinfile and sysctl's file: predicted as the run reports", async () => {
    const conf = join(dir, "app.conf");
    const sysctlFile = join(dir, "sysctl.conf");
    const tasks: TaskCall[] = [
      { module: copy, args: { content: "a=1\n", dest: conf, mode: "0640" } },
      { module: stat, args: { path: conf } },
      { module: command, args: { argv: ["touch", join(dir, "never")], creates: conf } },
      { module: blockinfile, args: { path: conf, block: "b=2" } },
      { module: template, args: { src: "app.conf.hbs", dest: join(dir, "other.conf") } },
      // state absent reads no live value: a file-only change that runs without root
      { module: sysctl, args: { name: "vm.swappiness", state: "absent", sysctl_file: sysctlFile } },
    ];
    writeFileSync(sysctlFile, "vm.swappiness = 10\n");
    const checked = await runTasks(tasks, transport, ctx, true);
    const real = await runTasks(tasks, transport, ctx, false);
    expect(statusesOf(checked)).toEqual(["changed", "ok", "ok", "changed", "changed", "changed"]);
    expect(statusesOf(real)).toEqual(statusesOf(checked));
    // the owner is predicted as root's: compare what does not depend on who runs the test
    const statOf = (run: typeof real) => {
      const { exists, isreg, mode, size, checksum } = (run.outcomes[1]?.data?.["stat"] ?? {}) as Record<string, unknown>;
      return { exists, isreg, mode, size, checksum };
    };
    expect(statOf(checked)).toEqual(statOf(real));
    expect(statOf(real)).toMatchObject({ exists: true, mode: "0640", size: 4 });
    expect(existsSync(join(dir, "never"))).toBe(false);
    for (const path of [conf, join(dir, "other.conf"), sysctlFile]) expect(predictedContent(checked, path), path).toEqual(readFileSync(path));
  });

  it("wait_for is ok and runs nothing in check mode (for real it would time out here)", async () => {
    const tasks: TaskCall[] = [{ module: waitFor, args: { path: join(dir, "never"), timeout: 1 } }];
    const checked = await runTasks(tasks, transport, ctx, true);
    expect(statusesOf(checked)).toEqual(["ok"]);
    expect(checked.outcomes[0]?.commands).toEqual([`wait up to 1 s for ${join(dir, "never")} to be up`]);
    expect(statusesOf(await runTasks(tasks, transport, ctx, false))).toEqual(["failed"]);
  });

  it("a command's result is unknown, and so is what later tasks would read after it fails to foresee", async () => {
    const path = join(dir, "made-by-command");
    const tasks: TaskCall[] = [
      { module: shell, args: { cmd: `echo x > '${path}'` } },
      { module: lineinfile, args: { path, line: "y" } },
    ];
    const checked = await runTasks(tasks, transport, ctx, true);
    // the file does not exist yet, and the host is uncertain: "would run", never "failed"
    expect(statusesOf(checked)).toEqual(["changed?", "changed?"]);
    expect(statusesOf(await runTasks(tasks, transport, ctx, false))).toEqual(["changed", "changed"]);
  });
});

describe("uri on a host without curl", () => {
  // the interpreter itself (a pyenv shim would need bash on the PATH)
  const python = spawnSync("python3", ["-c", "import sys; print(sys.executable)"], { encoding: "utf8" }).stdout?.trim() ?? "";

  it.skipIf(python === "")("reads with Python's urllib: status, headers, content, json, a redirect left alone", async () => {
    // a PATH with sh and python3 only: no curl
    const bin = join(dir, "bin");
    mkdirSync(bin);
    symlinkSync(spawnSync("sh", ["-c", "command -v sh"], { encoding: "utf8" }).stdout.trim(), join(bin, "sh"));
    symlinkSync(python, join(bin, "python3"));
    const server = createHttpServer((request, response) => {
      if (request.url === "/moved") response.writeHead(301, { Location: "/data.json" }).end();
      else response.writeHead(200, { "Content-Type": "application/json", "X-Seen": String(request.headers["x-token"]) }).end('{"up": true}');
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const read = async (raw: Record<string, unknown>) => {
      const args = uri.schema.parse(raw);
      const [fact] = factsOf(uri, args);
      const [file, ...argv] = fact!.argv;
      const child = await new Promise<{ rc: number; stdout: string; stderr: string }>((resolve) => {
        execFile(file!, argv, { env: { PATH: bin } }, (error, stdout, stderr) => resolve({ rc: error === null ? 0 : Number(error.code), stdout, stderr }));
      });
      return planWith(uri, args, { probes: [child] }, fakeContext());
    };
    try {
      const got = await read({ url: `${base}/data.json`, headers: { "X-Token": "t1" }, return_content: true });
      expect(got).toMatchObject({ kind: "ok", data: { status: 200, content: '{"up": true}', json: { up: true }, x_seen: "t1", content_type: "application/json" } });
      expect(await read({ url: `${base}/moved`, follow_redirects: "none", status_code: 301 })).toMatchObject({ kind: "ok", data: { status: 301 } });
      expect(await read({ url: `${base}/moved` })).toMatchObject({ kind: "ok", data: { status: 200, json: { up: true } } });
      expect(await read({ url: "http://127.0.0.1:1/none" })).toMatchObject({ kind: "fail" });
    } finally {
      server.close();
    }
  });
});
