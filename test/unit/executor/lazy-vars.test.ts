import { describe, expect, it } from "vitest";
import { withLazyTemplates } from "../../../src/executor/lazy-vars.js";
import { renderValue } from "../../../src/template/index.js";

const where = { file: "site.yaml", line: 3, column: 7 };

describe("variables templated when used", () => {
  it("renders a variable that uses others, in the task's scope, through chains", () => {
    const authored = { app_dir: "/etc/app", conf: "{{ app_dir }}/app.conf", backup: "{{ conf }}.bak" };
    const vars = withLazyTemplates({ ...authored, inventory_hostname: "web1" }, authored, where);
    expect(renderValue("{{ backup }}", vars, where)).toBe("/etc/app/app.conf.bak");
    expect(vars["conf"]).toBe("/etc/app/app.conf");
  });

  it("keeps a single expression's type (a list stays a list)", () => {
    const authored = { base: ["a", "b"], all: "{{ base }}" };
    expect(withLazyTemplates(authored, authored, where)["all"]).toEqual(["a", "b"]);
  });

  it("leaves data alone: a registered result or fact holding '{{' is not templated", () => {
    const vars = withLazyTemplates({ result: { stdout: "{{ x }}" }, out: "{{ nope }}" }, {}, where);
    expect(vars["out"]).toBe("{{ nope }}");
  });

  it("a variable defined through itself is a located error", () => {
    const authored = { a: "{{ b }}", b: "{{ a }}" };
    const vars = withLazyTemplates(authored, authored, where);
    expect(() => vars["a"]).toThrow(/variable '(a|b)' needs its own value/);
  });

  it("an undefined variable inside is the template's usual error, each time it is read", () => {
    const authored = { a: "{{ missing }}" };
    const vars = withLazyTemplates(authored, authored, where);
    expect(() => vars["a"]).toThrow(/missing/);
    expect(() => vars["a"]).toThrow(/missing/);
  });
});
