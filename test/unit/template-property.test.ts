import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ParseError } from "../../src/errors.js";
import { renderString, renderValue } from "../../src/template/index.js";

const where = { file: "fuzz.hbs", line: 3, column: 2 };
const vars = { a: 1, b: "two", c: [1, 2], d: { e: { f: null } }, hostvars: { h: { x: 1 } } };

const fragment = fc.constantFrom(
  "{{", "}}", "{{{", "}}}", "{{#if", "{{#each", "{{/if}}", "{{/each}}", "{{else}}", "{{!--", "--}}", "{{>", "{%", "%}",
  " ", "\n", "a", "b", "c", "d.e", "d.e.f", "hostvars['h'].x", "c[1]", "|", "default('x')", "upper", "join(',')",
  "'", '"', "(", ")", "[", "]", "~", "this", "@index", "../", "__proto__", "constructor", "nth_host", "1", "true",
);
const template = fc.oneof(fc.string(), fc.array(fragment, { maxLength: 12 }).map((parts) => parts.join("")));

describe("rendering arbitrary text", () => {
  it("throws nothing but ParseError located in the template's file", () => {
    fc.assert(
      fc.property(template, (text) => {
        for (const render of [() => renderString(text, vars, where), () => renderValue(text, vars, where)]) {
          try {
            render();
          } catch (error) {
            if (!(error instanceof ParseError)) throw error;
            expect(error.location?.file).toBe("fuzz.hbs");
            expect(error.location?.line).toBeGreaterThanOrEqual(3);
          }
        }
        expect(({} as Record<string, unknown>)["x"]).toBeUndefined();
      }),
      { numRuns: 2000 },
    );
  }, 60_000);
});
