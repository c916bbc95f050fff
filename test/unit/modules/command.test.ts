import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { shellJoin } from "../../../src/transport/quote.js";
import { command } from "../../../src/modules/command.js";
import { shell } from "../../../src/modules/shell.js";
import { splitWords } from "../../../src/modules/command.js";
import { factsOf, ok, planAfter, rc, runGolden, stepsOf, written, type GoldenCase } from "./helpers.js";
import { describeSchemaCases } from "./schema-cases.js";

const commandCases: GoldenCase[] = [
  {
    name: "plain command always runs, and check mode cannot foresee what it leaves",
    args: { cmd: "echo 'hello world'" },
    expect: { steps: [["echo", "hello world"]], changed: true, probeCount: 0, effects: [{ kind: "unknown", what: "what `echo 'hello world'` does" }] },
  },
  { name: "argv list", args: { argv: ["ls", "-l", "a b"] }, expect: { steps: [["ls", "-l", "a b"]] } },
  { name: "creates exists: skipped", args: { cmd: "initdb", creates: "/srv/db" }, probes: [ok()], expect: { steps: [], changed: false, probeCount: 1 } },
  { name: "creates missing: runs", args: { cmd: "initdb", creates: "/srv/db" }, probes: [rc(1)], expect: { steps: [["initdb"]] } },
  { name: "removes missing: skipped", args: { cmd: "rm /tmp/x", removes: "/tmp/x" }, probes: [rc(1)], expect: { steps: [] } },
  { name: "creates missing, removes present: runs", args: { cmd: "mv a b", creates: "b", removes: "a", chdir: "/d" }, probes: [rc(1), ok(), ok()], expect: { steps: [["sh", "-c", 'cd "$1" && shift && exec "$@"', "sh", "/d", "mv", "a", "b"]], probeCount: 3 } },
  { name: "chdir missing: fails before creates is looked at", args: { cmd: "make", chdir: "/nope", creates: "out" }, probes: [ok(), rc(1)], expect: { failed: /Unable to change directory before execution: \/nope/ } },
  { name: "env is set with env(1)", args: { cmd: "make", env: { CC: "gcc", JOBS: 2 } }, expect: { steps: [["env", "CC=gcc", "JOBS=2", "make"]] } },
];

describe("command", () => {
  it.each(commandCases)("$name", (golden) => {
    runGolden(command, golden);
  });

  it("passes stdin on the step", () => {
    const plan = runGolden(command, { name: "stdin", args: { cmd: "cat", stdin: "hi" }, expect: { steps: [["cat"]] } });
    expect(stepsOf(plan)[0]).toMatchObject({ kind: "run", stdin: "hi\n" });
    const raw = runGolden(command, { name: "stdin as is", args: { cmd: "cat", stdin: "hi", stdin_add_newline: false }, expect: { steps: [["cat"]] } });
    expect(stepsOf(raw)[0]).toMatchObject({ kind: "run", stdin: "hi" });
  });

  it("expands $VARS and ~ on the host only when an argument has them", () => {
    const plan = runGolden(command, { name: "expand", args: { cmd: "echo $HOME" }, expect: {} });
    const argv = stepsOf(plan)[0]?.kind === "run" ? stepsOf(plan)[0] : undefined;
    expect(argv).toMatchObject({ argv: ["sh", "-c", expect.stringContaining("awk"), "sh", expect.stringContaining("ENVIRON"), "echo", "$HOME"] });
  });

  it("reads creates relative to chdir, as a fact about that path", () => {
    const args = command.schema.parse({ cmd: "x", creates: "out", chdir: "/w" });
    expect(factsOf(command, args).map((fact) => [fact.argv.at(-1), fact.subject])).toEqual([
      ["/w/out", "path:/w/out"],
      ["/w", "path:/w"],
    ]);
  });

  it("reads a glob as a fact about the directory it searches", () => {
    const args = command.schema.parse({ cmd: "x", creates: "/srv/*/done" });
    expect(factsOf(command, args).map((fact) => fact.subject)).toEqual(["path:/srv"]);
  });

  it("an argv list is named in shell form in check mode's reason", () => {
    const plan = runGolden(command, { name: "argv", args: { argv: ["touch", "a b"] }, expect: {} });
    expect(plan.kind === "change" && plan.effects).toEqual([{ kind: "unknown", what: "what `touch 'a b'` does" }]);
  });
});

describe("command in check mode, after earlier would-be changes", () => {
  const made = [written("/srv/db/PG_VERSION", "16\n")];

  it("creates: skipped when an earlier task would make the path", () => {
    expect(planAfter(command, { cmd: "initdb", creates: "/srv/db/PG_VERSION" }, made).kind).toBe("ok");
  });

  it("creates: runs when an earlier task would remove the path", () => {
    expect(planAfter(shell, { cmd: "initdb", creates: "/srv/db/PG_VERSION" }, [{ kind: "path", path: "/srv", after: { exists: false } }]).kind).toBe("change");
  });

  it("a glob: no match when its directory would be removed, unknown when something would be made there", () => {
    expect(planAfter(command, { cmd: "touch /srv/x.done", creates: "/srv/*.done" }, [{ kind: "path", path: "/srv", after: { exists: false } }]).kind).toBe("change");
    expect(planAfter(command, { cmd: "touch /srv/x.done", creates: "/srv/db/*" }, made).kind).toBe("unknown");
  });

  it("chdir: fails when an earlier task would remove it, runs when one would make it", () => {
    expect(planAfter(command, { cmd: "make", chdir: "/srv" }, [{ kind: "path", path: "/srv", after: { exists: false } }]).kind).toBe("fail");
    expect(planAfter(command, { cmd: "make", chdir: "/srv/db" }, made).kind).toBe("change");
  });

  it("removes: runs when an earlier task would make the path (a directory below it counts)", () => {
    expect(planAfter(command, { cmd: "rm -r /srv/db", removes: "/srv/db" }, made).kind).toBe("change");
  });
});

describe("shell", () => {
  it.each<GoldenCase>([
    { name: "runs through sh -c", args: { cmd: "ls | wc -l" }, expect: { steps: [["sh", "-c", "ls | wc -l"]] } },
    { name: "another executable", args: { cmd: "echo $BASH", executable: "/bin/bash" }, expect: { steps: [["/bin/bash", "-c", "echo $BASH"]] } },
    { name: "creates exists: skipped", args: { cmd: "x", creates: "/y" }, probes: [ok()], expect: { steps: [], changed: false } },
  ])("$name", (golden) => {
    runGolden(shell, golden);
  });
});

describe("splitWords", () => {
  it.each([
    ["a b  c", ["a", "b", "c"]],
    ["echo 'a b' \"c d\"", ["echo", "a b", "c d"]],
    // Python's shlex (Ansible's splitter): in "..." a backslash escapes only " and \
    ['say "a \\"q\\" \\$x"', ["say", 'a "q" \\$x']],
    ["a\\ b c", ["a b", "c"]],
    ["x '' y", ["x", "", "y"]],
    ["no $expansion *", ["no", "$expansion", "*"]],
  ])("%j", (text, words) => {
    expect(splitWords(text)).toEqual(words);
  });

  it("undoes the one quoting function for any argv", () => {
    fc.assert(
      fc.property(fc.array(fc.string(), { minLength: 1 }), (argv) => {
        expect(splitWords(shellJoin(argv))).toEqual(argv);
      }),
    );
  });

  it("rejects an unterminated quote", () => {
    expect(() => splitWords("echo 'a")).toThrow(/no closing quotation mark/);
  });
});

describeSchemaCases("command", [
  { name: "unknown argument", args: { cmd: "ls", chdr: "/" }, issues: [{ path: ["chdr"], message: /unknown argument/, hint: /did you mean 'chdir'/ }] },
  { name: "missing cmd", args: {}, issues: [{ path: ["cmd"], message: /exactly one of 'cmd' or 'argv'/ }] },
  { name: "wrong type", args: { argv: "ls" }, issues: [{ path: ["argv"], message: /expected array, got string 'ls'/ }] },
  { name: "unterminated quote", args: { cmd: "echo 'x" }, issues: [{ path: ["cmd"], message: /no closing quotation mark/ }] },
]);

describeSchemaCases("shell", [
  { name: "unknown argument", args: { cmd: "ls", executabel: "bash" }, issues: [{ path: ["executabel"], message: /unknown argument/, hint: /executable/ }] },
  { name: "missing cmd", args: {}, issues: [{ path: ["cmd"], message: /missing required argument 'cmd'/ }] },
]);
