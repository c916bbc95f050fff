/** The oracle's comparison and its known-differences rule, on hand-made outcomes. */
import { describe, expect, it } from "vitest";
import { comparePhase, type PhaseOutcome } from "../../oracle/harness/compare.js";
import { judgeAgainstKnown } from "../../oracle/harness/known.js";
import { loadCases } from "../../oracle/harness/oracle.js";
import { caseHash } from "../../oracle/harness/record.js";

const file = { kind: "file" as const, mode: "0644", owner: "root", group: "root", links: 1, sha256: "x", text: "a\n" };
const outcome = (status: PhaseOutcome["task"]["status"], tree: PhaseOutcome["state"]["tree"]): PhaseOutcome => ({
  task: { status, msg: "", vars: {} },
  state: { tree, accounts: {}, homes: {}, sysctl: {} },
});

describe("oracle comparison", () => {
  it("agrees on equal outcomes and names each differing field", () => {
    expect(comparePhase("first", outcome("changed", { f: file }), outcome("changed", { f: file }), true)).toEqual([]);
    const differences = comparePhase("first", outcome("changed", { f: file }), outcome("ok", { f: { ...file, mode: "0777" }, g: file }), true);
    expect(differences).toEqual([
      "first: status ansible changed, runbook ok",
      'first: tree f: mode ansible "0644", runbook "0777"',
      "first: tree g: ansible absent, runbook file",
    ]);
  });

  it("fails on unlisted disagreements and on listed cases that agree", () => {
    const verdicts = [
      { id: "copy/a", differences: ["x"] },
      { id: "copy/b", differences: [] },
      { id: "copy/c", differences: ["y"] },
    ];
    const entry = { kind: "bug" as const, differs: "d", cause: "c" };
    const judgement = judgeAgainstKnown(verdicts, { "copy/a": entry, "copy/b": entry, "copy/gone": entry });
    expect(judgement).toMatchObject({ agreeing: 1, total: 3, fixed: ["copy/b"], stale: ["copy/gone"] });
    expect(judgement.unexpected.map(({ id }) => id)).toEqual(["copy/c"]);
  });

  it("loads at least 300 cases with unique ids, each hashed apart", () => {
    const cases = loadCases();
    expect(cases.length).toBeGreaterThanOrEqual(300);
    expect(new Set(cases.map(caseHash)).size).toBe(cases.length);
  });
});
