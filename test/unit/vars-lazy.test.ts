import { describe, expect, it } from "vitest";
import { extendVars, lazyVars } from "../../src/vars/lazy.js";
import { hasTemplate, renderValue } from "../../src/template/index.js";
import { runFixture } from "./executor/helpers.js";

const where = { file: "play.yaml", line: 3, column: 5 };

describe("lazy variables", () => {
  it.each([
    ["plain text", "abc", false],
    ["a template", "x {{ y }}", true],
    ["a template inside a list", ["a", ["{{ b }}"]], true],
    ["a template inside a dict", { a: { b: "{{ c }}" } }, true],
    ["a number", 3, false],
    ["a Jinja block, which Ansible templates too", "{% if x %}y{% endif %}", true],
  ])("hasTemplate: %s", (_, value, expected) => {
    expect(hasTemplate(value)).toBe(expected);
  });

  it("renders chains, native values and dicts when read", () => {
    const vars = lazyVars({ a: "{{ host }}-x", b: "{{ a }}-y", list: "{{ hosts }}", d: { k: "{{ b }}" } }, { host: "h1", hosts: ["h1", "h2"] }, where);
    expect(renderValue("{{ b }}", vars, where)).toBe("h1-x-y");
    expect(vars["list"]).toEqual(["h1", "h2"]);
    expect(vars["d"]).toEqual({ k: "h1-x-y" });
  });

  it("leaves unread variables alone: an undefined name fails only when used", () => {
    const vars = lazyVars({ broken: "{{ nope }}", fine: "ok" }, {}, where);
    expect(renderValue("{{ fine }}", vars, where)).toBe("ok");
    expect(() => renderValue("{{ broken }}", vars, where)).toThrow(/'nope' is undefined/);
  });

  it("reports a cycle instead of overflowing the stack", () => {
    const vars = lazyVars({ a: "{{ b }}", b: "{{ a }}" }, {}, where);
    expect(() => vars["a"]).toThrow(/defined in terms of itself/);
  });

  it("plain values replace templated ones and are never rendered", () => {
    const vars = lazyVars({ out: "{{ a }}" }, { out: "{{ literal }}" }, where);
    expect(vars["out"]).toBe("{{ literal }}");
  });

  it("extendVars keeps getters, and templates see the added names", () => {
    const vars = lazyVars({ label: "item {{ item }}" }, {}, where);
    expect(extendVars(vars, { item: 1 })["label"]).toBe("item 1");
    expect(extendVars(vars, { item: 2 })["label"]).toBe("item 2");
  });

  it("works through the executor: chains, dicts, loop items; registered output stays data", async () => {
    const run = await runFixture("lazy-vars.yaml");
    expect(run.summary.exitCode).toBe(0);
    expect(run.results("chained").get("h3")?.msg).toBe("h3-x-y");
    expect(JSON.parse(run.results("structured").get("h1")?.msg ?? "")).toEqual({ name: "h1-x-y", count: "2" });
    const items = run.events.flatMap((event) => (event.type === "item-result" && event.task.name === "per item" && event.result.host === "h2" ? [event.result.msg] : []));
    expect(items).toEqual(["item is a", "item is b"]);
    expect(run.results("output is data").get("h1")?.msg).toBe("{{ base }}");
  });
});
