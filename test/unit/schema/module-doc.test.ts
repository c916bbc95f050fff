import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { docText } from "../../../src/cli/doc.js";
import { OptionsError } from "../../../src/errors.js";
import { modules } from "../../../src/modules/registry.js";
import { formatModuleDoc, moduleDoc, modulesMarkdown, typeName } from "../../../src/schema/module-doc.js";

describe("module docs", () => {
  it("docs/modules.md is up to date (run `npm run docs`)", () => {
    const file = readFileSync(join(import.meta.dirname, "../../../docs/modules.md"), "utf8");
    expect(file).toBe(modulesMarkdown());
  });

  it.each([...modules.keys()])("%s: every argument has a type and a description, and the example uses the module", (name) => {
    const doc = moduleDoc(name);
    expect(doc?.summary).toBeTruthy();
    for (const argument of doc?.arguments ?? []) {
      expect(argument.type, argument.name).toBeTruthy();
      expect(argument.description, `${name}.${argument.name}`).not.toBe("");
    }
    expect(doc?.example).toMatch(new RegExp(`^\\s*${name}:`, "m"));
  });

  it("shows arguments, types, required, defaults, aliases and the example", () => {
    const text = formatModuleDoc(moduleDoc("ansible.builtin.package") ?? expect.fail("no package module"));
    expect(text).toMatch(/^package \(ansible\.builtin\.package\) - /);
    expect(text).toContain("aliases: ");
    expect(text).toContain("ansible.legacy.package");
    expect(text).toMatch(/state +present: installed[^\n]*\n +\(one of: present, absent, latest, installed, removed; default "present"\)/);
    expect(text).toMatch(/name +Package name[^\n]*\n +\(string or list of string\)/);
    expect(text).toContain("EXAMPLE");
  });

  it.each([
    [{ type: "string" }, "string"],
    [{ type: "array", items: { type: "string" } }, "list of string"],
    [{ anyOf: [{ type: "boolean" }, { type: "string", enum: ["yes", "no"] }] }, "boolean"],
    [{ type: ["string", "number"] }, "string or number"],
    [{ type: "string", enum: ["a", "b"] }, "one of: a, b"],
    [{ type: "object" }, "mapping"],
    [{}, "any"],
  ])("type name of %j is %s", (schema, expected) => {
    expect(typeName(schema)).toBe(expected);
  });

  it("lists modules, and names a close one for a typo", () => {
    expect(docText(undefined, { list: true })).toMatch(/^copy +ansible\.builtin\.copy +Copy a controller file/m);
    expect(docText(undefined, { list: true })).toMatch(/^sysctl +ansible\.posix\.sysctl +Set a kernel parameter/m);
    expect(() => docText("cpy", {})).toThrow(OptionsError);
    expect(() => docText("cpy", {})).toThrow(expect.objectContaining({ hint: "did you mean 'copy'?" }));
  });
});
