import { describe, expect, it } from "vitest";
import { renderValue } from "../../../src/template/index.js";
import { lazyVars } from "../../../src/vars/lazy.js";

const where = { file: "site.yaml", line: 3, column: 7 };

describe("variables templated when used", () => {
  it("renders a variable that uses others, in the task's scope, through chains", () => {
    const authored = { app_dir: "/etc/app", conf: "{{ app_dir }}/app.conf", backup: "{{ conf }}.bak" };
    const vars = lazyVars(authored, { inventory_hostname: "web1" }, where);
    expect(renderValue("{{ backup }}", vars, where)).toBe("/etc/app/app.conf.bak");
    expect(vars["conf"]).toBe("/etc/app/app.conf");
  });

  it("keeps a single expression's type (a list stays a list)", () => {
    const authored = { base: ["a", "b"], all: "{{ base }}" };
    expect(lazyVars(authored, {}, where)["all"]).toEqual(["a", "b"]);
  });

  it("leaves data alone: a registered result holding '{{' is not templated", () => {
    const vars = lazyVars({}, { result: { stdout: "{{ x }}" }, out: "{{ nope }}" }, where);
    expect(vars["out"]).toBe("{{ nope }}");
  });

  it("a variable defined through itself is a located error", () => {
    const vars = lazyVars({ a: "{{ b }}", b: "{{ a }}" }, {}, where);
    expect(() => vars["a"]).toThrow(/variable '(a|b)' is defined in terms of itself/);
  });

  it("an undefined variable inside is the template's usual error, each time it is read", () => {
    const vars = lazyVars({ a: "{{ missing }}" }, {}, where);
    expect(() => vars["a"]).toThrow(/missing/);
    expect(() => vars["a"]).toThrow(/missing/);
  });
});
