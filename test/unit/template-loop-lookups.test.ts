/** The lookups behind with_* loops, on the values Ansible 2.14 gives for the same terms (test/fixtures/keyword-oracle/loops.yaml checks them live). */
import { mkdtempSync, mkdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ParseError } from "../../src/errors.js";
import { loopItemVars } from "../../src/executor/loop-items.js";
import { loopLookup } from "../../src/template/index.js";

const where = { file: "site.yaml", line: 1, column: 1 };
const lookup = (name: string, terms: unknown[], vars: Record<string, unknown> = {}, subdir?: string): unknown[] => loopLookup(name, terms, vars, where, subdir);

describe("with_* lookups", () => {
  it("nested: every combination, the first list slowest", () => {
    expect(lookup("nested", [[1, 2], ["a", "b"]])).toEqual([[1, "a"], [1, "b"], [2, "a"], [2, "b"]]);
  });
  it("together: side by side, padded with None", () => {
    expect(lookup("together", [[1, 2, 3], ["a"]])).toEqual([[1, "a"], [2, null], [3, null]]);
  });
  it("subelements: the element without its list, with each sub-item; skip_missing", () => {
    const users = [{ name: "a", keys: ["k1", "k2"] }, { name: "c" }];
    expect(lookup("subelements", [users, "keys", { skip_missing: true }])).toEqual([[{ name: "a" }, "k1"], [{ name: "a" }, "k2"]]);
    expect(users[0]).toEqual({ name: "a", keys: ["k1", "k2"] });
    expect(() => lookup("subelements", [users, "keys"])).toThrow(ParseError);
  });
  it.each([
    ["start=1 end=9 stride=3 format=web%02d", ["web01", "web04", "web07"]],
    ["count=3", ["1", "2", "3"]],
    ["4-8/2", ["4", "6", "8"]],
    ["start=5 end=1 stride=-2", ["5", "3", "1"]],
    ["count=0", []],
    ["start=5 count=2 stride=-1", ["5", "4", "3", "2"]],
    ["start=1 count=3 stride=2", ["1", "3", "5"]],
  ])("sequence %s", (term, items) => {
    expect(lookup("sequence", [term])).toEqual(items);
  });
  it("sequence refuses count with end, and backwards without a negative stride", () => {
    expect(() => lookup("sequence", ["count=2 end=3"])).toThrow(/both count and end/);
    expect(() => lookup("sequence", ["start=5 end=1"])).toThrow(/stride negative/);
  });
  it("indexed_items and items flatten one level, list does not", () => {
    expect(lookup("indexed_items", ["a", ["b", "c"]])).toEqual([[0, "a"], [1, "b"], [2, "c"]]);
    expect(lookup("items", ["a", ["b", ["c"]]])).toEqual(["a", "b", ["c"]]);
    expect(lookup("list", ["a", ["b"]])).toEqual(["a", ["b"]]);
  });
  it("first_found: files under paths, then the task's folder (vars for include_vars), else an error or nothing with skip", () => {
    const dir = mkdtempSync(join(tmpdir(), "runbook-ff-"));
    mkdirSync(join(dir, "vars"));
    writeFileSync(join(dir, "vars", "Debian.yml"), "a: 1\n");
    const vars = { playbook_dir: dir };
    expect(lookup("first_found", [{ files: ["RedHat.yml", "Debian.yml"], paths: ["vars"] }], vars)).toEqual([join(dir, "vars", "Debian.yml")]);
    expect(lookup("first_found", ["RedHat.yml", "Debian.yml"], vars, "vars")).toEqual([join(dir, "vars", "Debian.yml")]);
    expect(() => lookup("first_found", ["Debian.yml"], vars, "files")).toThrow(/No file was found/);
    expect(lookup("first_found", [{ files: ["nope.yml"], skip: true }], vars)).toEqual([]);
  });
});

describe("loop item variables", () => {
  it("index_var, ansible_loop_var and extended ansible_loop", () => {
    const task = { loopVar: "user", indexVar: "i", loopExtended: true };
    expect(loopItemVars(task, ["a", "b", "c"], 1)).toEqual({
      user: "b",
      ansible_loop_var: "user",
      i: 1,
      ansible_index_var: "i",
      ansible_loop: { allitems: ["a", "b", "c"], index: 2, index0: 1, revindex: 2, revindex0: 1, first: false, last: false, length: 3, previtem: "a", nextitem: "c" },
    });
    expect(loopItemVars({ loopVar: "item" }, ["a"], 0)).toEqual({ item: "a", ansible_loop_var: "item" });
  });
});
