import { describe, expect, it } from "vitest";
import { replace, replaceText } from "../../../src/modules/replace.js";
import { parseTemplate, pythonPattern, pythonSub } from "../../../src/modules/support/python-re.js";
import { fakeContext, ok, planWith, present, stepsOf } from "./helpers.js";

describe("Python's re.sub in JavaScript", () => {
  it("expands groups by number and name, and the escapes re.sub knows", () => {
    expect(pythonSub(pythonPattern("(?P<k>\\w+)=(\\d)", "m"), "\\2:\\g<k>\\t\\g<0>\\.", "a=1").text).toBe("1:a\ta=1\\.");
  });
  it("counts every match, empty ones included, as Python 3.7+", () => {
    expect(pythonSub(pythonPattern("x*", "m"), "-", "abxd")).toEqual({ text: "-a-b--d-", count: 5 });
  });
  it("rejects a bad escape and a group that does not exist", () => {
    expect(() => parseTemplate("\\q")).toThrow(/bad escape/);
    expect(() => pythonSub(pythonPattern("(a)", "m"), "\\2", "a")).toThrow(/invalid group/);
  });
  it("reads \\A, \\Z and leading inline flags", () => {
    expect(pythonSub(pythonPattern("\\Aa", "m"), "b", "a\na").text).toBe("b\na");
    expect(pythonSub(pythonPattern("a\\Z", "m"), "b", "a\na").text).toBe("a\nb");
    expect(pythonSub(pythonPattern("(?i)A", "m"), "b", "a").text).toBe("b");
  });
});

describe("replace's edit", () => {
  const args = { regexp: "^x$", replace: "y" };
  it("is multiline over the whole file", () => {
    expect(replaceText("x\nz\nx\n", args)).toEqual({ kind: "replaced", text: "y\nz\ny\n", count: 2 });
  });
  it("limits itself to the section between after and before", () => {
    expect(replaceText("x\n<a>\nx\n</a>\nx\n", { ...args, after: "<a>\n", before: "</a>" })).toEqual({ kind: "replaced", text: "x\n<a>\ny\n</a>\nx\n", count: 1 });
  });
  it("says when the section is not in the file", () => {
    expect(replaceText("x\n", { ...args, after: "nothere" })).toEqual({ kind: "no-section", pattern: "nothere(?P<subsection>.*)" });
  });
});

describe("replace's plan", () => {
  const text = "old\n";
  const probes = [present({ content: text }), ok(text)];
  it("writes the whole file once, after a backup when asked", () => {
    const plan = planWith(replace, replace.schema.parse({ path: "/f", regexp: "old", replace: "new", backup: true }), { probes }, fakeContext());
    const steps = stepsOf(plan);
    expect(steps[0]).toMatchObject({ kind: "run", argv: ["cp", "-p", "--", "/f", expect.stringMatching(/^\/f\.\d+\.\d{4}-\d\d-\d\d@\d\d:\d\d:\d\d~$/)] });
    expect(steps[1]).toMatchObject({ kind: "put", path: "/f" });
    expect(plan.msg).toBe("1 replacements made");
  });
  it("with validate, puts a temp file and moves it only after the check", () => {
    const plan = planWith(replace, replace.schema.parse({ path: "/etc/f", regexp: "old", replace: "new", validate: "check %s" }), { probes }, fakeContext());
    const [put, check] = stepsOf(plan);
    expect(put).toMatchObject({ kind: "put", path: expect.stringMatching(/^\/etc\/\.f\.runbook-validate-/) });
    expect(check?.kind === "run" ? check.argv.slice(4) : []).toEqual([put?.kind === "put" ? put.path : "", "/etc/f", "check", put?.kind === "put" ? put.path : ""]);
  });
  it("fails on a missing file, whatever the pattern", () => {
    const plan = planWith(replace, replace.schema.parse({ path: "/f", regexp: "old" }), { probes: [ok("absent\n"), { rc: 1, stdout: "", stderr: "" }] }, fakeContext());
    expect(plan.kind === "fail" ? plan.error : "").toBe("Path /f does not exist !");
  });
});
