/**
 * Bad input through the CLI: every case in test/fixtures/bad-cli/<case>/ (case.json: args, exit,
 * message, where?, hint?) must exit with its code (ansible-playbook's for the same mistake, see
 * test/unit/cli/exit-codes.test.ts), name file:line:column with a code frame and a hint, print
 * no stack trace, and apply NOTHING: each playbook's first task (or the one after the mistake)
 * is a canary that would create APPLIED in the case's directory on the (local) host.
 */
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { REPO, runCli } from "./helpers/cli.js";

interface Case {
  readonly args: string[];
  readonly exit: number;
  readonly message: string;
  /** file:line:column, relative to the case directory; absent for command-line errors. */
  readonly where?: string;
  readonly hint?: string;
  /** The error is found at run time, inside an include that already ran (and reported, as Ansible's includes do). */
  readonly foundInInclude?: boolean;
}

const corpus = join(REPO, "test", "fixtures", "bad-cli");
const cases = readdirSync(corpus).map((name) => ({ name, spec: JSON.parse(readFileSync(join(corpus, name, "case.json"), "utf8")) as Case }));

describe("bad input through the CLI", () => {
  it("covers at least 20 cases", () => {
    expect(cases.length).toBeGreaterThanOrEqual(20);
  });

  describe.each(cases)("$name", ({ name, spec }) => {
    it(`exits ${spec.exit} with location, frame and hint, applying nothing`, async () => {
      const dir = join(mkdtempSync(join(tmpdir(), "rl-bad-")), name);
      cpSync(join(corpus, name), dir, { recursive: true });
      const result = await runCli(spec.args, { cwd: dir });
      const stderr = result.stderr;
      expect(result.code, stderr).toBe(spec.exit);
      expect(stderr).toMatch(/^ERROR! /);
      expect(stderr).toMatch(new RegExp(spec.message));
      if (spec.where !== undefined) {
        expect(stderr).toContain(`--> ${spec.where}`);
        const line = Number(spec.where.split(":")[1]);
        expect(stderr).toMatch(new RegExp(`\\n\\s+> +${line} \\| `)); // the code frame marks the line
        expect(stderr).toMatch(/\n\s+\| +\^/); // and the column
      }
      expect(stderr).toMatch(/\n {2}hint: \S/);
      if (spec.hint !== undefined) expect(stderr).toMatch(new RegExp(spec.hint));
      expect(stderr).not.toMatch(/\n\s+at .+:\d+:\d+\)?\n/); // no stack trace
      expect(existsSync(join(dir, "APPLIED"))).toBe(false);
      // no task ran: only an include whose file held the error may have reported
      const tasks = (result.stdout.match(/TASK \[[^\n]*/g) ?? []).filter((line) => !(spec.foundInInclude === true && line.startsWith("TASK [include_tasks")));
      expect(tasks).toEqual([]);
    });
  });

  it("shows the stack trace only with -vvv", async () => {
    const dir = join(mkdtempSync(join(tmpdir(), "rl-bad-")), "unknown-module");
    cpSync(join(corpus, "unknown-module"), dir, { recursive: true });
    const result = await runCli(["playbook.yaml", "-i", "hosts.yaml", "-vvv"], { cwd: dir });
    expect(result.code).toBe(4);
    expect(result.stderr).toMatch(/\n\s+at .+/);
  });
});
