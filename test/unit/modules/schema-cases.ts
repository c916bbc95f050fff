/** Runs schema (argument validation) golden cases through the registry's validateArgs. */
import { describe, expect, it } from "vitest";
import { validateArgs } from "../../../src/modules/registry.js";
import type { SchemaCase } from "./helpers.js";

export function describeSchemaCases(moduleName: string, cases: readonly SchemaCase[]): void {
  describe(`${moduleName} arguments`, () => {
    it.each(cases)("$name", (schemaCase) => {
      const result = validateArgs(moduleName, schemaCase.args);
      expect(result.ok).toBe(false);
      if (result.ok) return;
      for (const want of schemaCase.issues) {
        const issue = result.issues.find((candidate) => JSON.stringify(candidate.path) === JSON.stringify(want.path));
        expect(issue, `issue at ${JSON.stringify(want.path)} in ${JSON.stringify(result.issues)}`).toBeDefined();
        expect(issue?.message).toMatch(want.message);
        if (want.hint !== undefined) expect(issue?.hint).toMatch(want.hint);
      }
    });
  });
}
