import { describe, expect, it } from "vitest";
import { raw } from "../../../src/modules/raw.js";
import { script } from "../../../src/modules/script.js";
import { ok, rc, runGolden, stepsOf } from "./helpers.js";
import { describeSchemaCases } from "./schema-cases.js";

describe("raw", () => {
  it("hands the line to sh -c as written, keeping its output's ends", () => {
    const plan = runGolden(raw, { name: "raw", args: { cmd: "ls *.txt | wc -l" }, expect: { steps: [["sh", "-c", "ls *.txt | wc -l"]], changed: true, probeCount: 0 } });
    expect(stepsOf(plan)[0]).toMatchObject({ outputEnds: "as-is" });
  });

  it("another shell", () => {
    runGolden(raw, { name: "bash", args: { cmd: "echo $BASH", executable: "/bin/bash" }, expect: { steps: [["/bin/bash", "-c", "echo $BASH"]] } });
  });
});

describe("script", () => {
  const files = { "/c/s.sh": "#!/bin/sh\necho \"$@\"\n" };

  it("copies the script (0700) and runs it with the rest of the line for the host's shell, then removes it", () => {
    const plan = runGolden(script, { name: "runs", args: { cmd: "/c/s.sh 'a b' $HOME" }, context: { files }, expect: { changed: true, probeCount: 0 } });
    const [put, run] = stepsOf(plan);
    expect(put).toMatchObject({ kind: "put", mode: "0700", content: Buffer.from(files["/c/s.sh"]) });
    const path = put?.kind === "put" ? put.path : "";
    expect(path).toMatch(/^\/tmp\/\.runbook-script-[0-9a-f]{12}-s\.sh$/);
    expect(run).toMatchObject({ outputEnds: "as-is" });
    expect(run?.kind === "run" && run.argv).toEqual(["sh", "-c", `${path} 'a b' $HOME\n__rb_rc=$?; rm -f -- ${path}; exit $__rb_rc`]);
  });

  it("chdir first (removing the copy when it is missing), and an executable", () => {
    const plan = runGolden(script, { name: "chdir", args: { cmd: "/c/s.sh", chdir: "/srv/a b", executable: "/bin/bash" }, context: { files }, expect: {} });
    const run = stepsOf(plan)[1];
    const text = run?.kind === "run" ? (run.argv[2] ?? "") : "";
    expect(text.split("\n")[0]).toMatch(/^cd '\/srv\/a b' \|\| \{ rm -f -- \S+; exit 1; \}$/);
    expect(text.split("\n")[1]).toMatch(/^\/bin\/bash \/tmp\/\.runbook-script-\S+ $/);
  });

  it.each([
    { name: "creates exists: skipped, as Ansible's", args: { cmd: "/c/s.sh", creates: "/done" }, probes: [ok()], expect: { steps: [], skipped: true, msg: "/done exists, matching creates option" } },
    { name: "removes missing: skipped", args: { cmd: "/c/s.sh", removes: "/x" }, probes: [rc(1)], expect: { steps: [], skipped: true } },
    { name: "a missing script fails", args: { cmd: "/c/nope.sh" }, expect: { failed: /Could not find or access '\/c\/nope.sh'/ } },
  ])("$name", (golden) => {
    runGolden(script, { ...golden, context: { files } });
  });
});

describeSchemaCases("script", [
  { name: "relative chdir", args: { cmd: "s.sh", chdir: "tmp" }, issues: [{ path: ["chdir"], message: /absolute path/ }] },
  { name: "unterminated quote", args: { cmd: "s.sh 'x" }, issues: [{ path: ["cmd"], message: /no closing quotation mark/ }] },
]);
