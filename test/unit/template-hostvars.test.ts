/**
 * hostvars[other] in templates: one view per hostvars object, groups and place is shared by every
 * rendering (template/jinja/hostvars.ts), so it must follow a host's variables as they change.
 */
import { describe, expect, it } from "vitest";
import { renderValue } from "../../src/template/index.js";
import { touchHostVars } from "../../src/vars/revision.js";

const where = { file: "play.yaml", line: 3, column: 7 };
const template = "{% for h in groups['all'] %}{{ h }}={{ hostvars[h].mark }} {% endfor %}";

function fleet(): { hostvars: Record<string, Record<string, unknown>>; vars: (host: string) => Record<string, unknown> } {
  const hostvars: Record<string, Record<string, unknown>> = {
    a: { inventory_hostname: "a", mark: "{{ inventory_hostname }}-1" },
    b: { inventory_hostname: "b", mark: "plain" },
  };
  const groups = { all: ["a", "b"] };
  return { hostvars, vars: (host) => ({ ...hostvars[host], hostvars, groups }) };
}

describe("hostvars in templates", () => {
  it("renders another host's templated variable against that host", () => {
    const { vars } = fleet();
    expect(renderValue(template, vars("b"), where)).toBe("a=a-1 b=plain ");
  });

  it("sees a host's variables change in place once the change is announced", () => {
    const { hostvars, vars } = fleet();
    expect(renderValue(template, vars("a"), where)).toBe("a=a-1 b=plain ");
    (hostvars["b"] as Record<string, unknown>)["mark"] = "{{ inventory_hostname }}-2";
    touchHostVars();
    expect(renderValue(template, vars("a"), where)).toBe("a=a-1 b=b-2 ");
    expect(renderValue(template, vars("b"), where)).toBe("a=a-1 b=b-2 ");
  });

  it("follows a templated variable that reads another host's changed variable", () => {
    const { hostvars, vars } = fleet();
    (hostvars["a"] as Record<string, unknown>)["mark"] = "{{ hostvars['b'].mark }}!";
    touchHostVars();
    expect(renderValue("{{ hostvars['a'].mark }}", vars("b"), where)).toBe("plain!");
    (hostvars["b"] as Record<string, unknown>)["mark"] = "new";
    touchHostVars();
    expect(renderValue("{{ hostvars['a'].mark }}", vars("b"), where)).toBe("new!");
  });
});
