/**
 * What the oracle test cannot show by comparing text: the types renderValue returns, located
 * errors and their hints, and the security of member access. Expected values are Ansible 2.14's.
 */
import { describe, expect, it } from "vitest";
import { ParseError, type SourceLocation } from "../../src/errors.js";
import { evaluateCondition, hasTemplate, renderString, renderTemplateFile, renderValue } from "../../src/template/index.js";
import { lazyVars } from "../../src/vars/lazy.js";

const where: SourceLocation = { file: "play.yml", line: 10, column: 5 };
const vars = {
  name: "etcd",
  port: 2379,
  packages: ["curl", "jq"],
  server: { host: "k18s01", ports: [80, 443] },
  enabled: true,
  groups: { etcd: ["a", "b"] },
  hostvars: { a: { ip: "10.0.0.1", fqdn: "{{ inventory_hostname }}.lan", inventory_hostname: "a" }, b: { ip: "10.0.0.2", inventory_hostname: "b" } },
};

function errorOf(run: () => unknown): ParseError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(ParseError);
    return error as ParseError;
  }
  throw new Error("expected a ParseError");
}

describe("renderValue keeps Ansible's types", () => {
  it.each([
    ["{{ packages }}", ["curl", "jq"]],
    ["{{ server }}", { host: "k18s01", ports: [80, 443] }],
    ["{{ enabled }}", true],
    ["{{ port > 1 }}", true],
    ["{{ port }}", 2379], // Ansible returns a bare variable that is a number as it is
    ["{{ port + 1 }}", "2380"],
    ["[{{ port }}, 1]", [2379, 1]],
    ["{{ none }}", ""],
    ["{{ groups['etcd'] | map('extract', hostvars, 'ip') | list }}", ["10.0.0.1", "10.0.0.2"]],
    ["x{{ name }}", "xetcd"],
  ])("%s -> %j", (text, expected) => {
    expect(renderValue(text, vars, where)).toEqual(expected);
  });

  it("reads an integer after a dot as a subscript, as Jinja2 does (with_subelements' item.0.name)", () => {
    const pair = { item: [{ name: "alice", keys: ["k1", "k2"] }, "k2"] };
    expect(renderString("{{ item.0.name }} {{ item.1 }} {{ item.0.keys.0 }}", pair, where)).toBe("alice k2 k1");
    expect(renderString("{{ 1.5 }} {{ server.ports.1 }}", vars, where)).toBe("1.5 443");
    expect(errorOf(() => renderString("{{ server.'x' }}", vars, where)).message).toMatch(/expected name as lookup value/);
  });

  it("renders another host's templated variables for that host", () => {
    expect(renderString("{{ hostvars['a'].fqdn }}", vars, where)).toBe("a.lan");
  });

  it("renders variables that hold templates when they are read", () => {
    const lazy = lazyVars({ a: "{{ name }}-x", b: "{{ a }}-y", name: "n" }, {}, where);
    expect(renderValue("{{ b }}", lazy, where)).toBe("n-x-y");
  });

  it("keeps backslashes of YAML values, reads template files' escapes as Python", () => {
    expect(renderString("{{ 'a\\d' }}", vars, where)).toBe("a\\d");
    expect(renderTemplateFile("t.j2", "{{ 'a\\tb' }}", vars)).toBe("a\tb");
  });
});

describe("a for loop's `loop`", () => {
  it("has its fields, in the order they always had", () => {
    const text = "{% for x in ['a', 'b', 'c'] %}{{ loop | dict2items | map(attribute='key') | join(',') }};{% endfor %}";
    expect(renderString(text, {}, where)).toBe("index,index0,revindex,revindex0,first,last,length,depth,depth0,previtem,nextitem,cycle;".repeat(3));
    const values = "{% for x in ['a', 'b', 'c'] %}{{ loop.index }}{{ loop.revindex0 }}{{ loop.first }}{{ loop.last }}{{ loop.previtem | default('-') }}{{ loop.nextitem | default('-') }}{{ loop.cycle('o', 'e') }} {% endfor %}";
    expect(renderString(values, {}, where)).toBe("12TrueFalse-bo 21FalseFalseace 30FalseTrueb-o ");
  });
});

describe("errors are located ParseErrors with a hint", () => {
  it.each([
    ["x {{ nme }}", "'nme' is undefined", 10, "default"],
    ["{{ server.nope.deeper }}", "'server.nope' is undefined", 8, "is defined"],
    ["{{ name | uper }}", "unknown filter 'uper'", 15, "did you mean 'upper'"],
    ["{{ name is defind }}", "unknown test 'defind'", 16, "did you mean 'defined'"],
    ["{{ name + 1 }}", "unsupported operand types for +: 'str' and 'int'", 8, "~"],
  ])("%s: %s", (text, message, column, hint) => {
    const error = errorOf(() => renderString(text, vars, where));
    expect(error.message).toBe(message);
    expect(error.location).toEqual({ file: "play.yml", line: 10, column });
    expect(error.hint).toContain(hint);
  });

  it("names the line of a template file", () => {
    const error = errorOf(() => renderTemplateFile("templates/x.j2", "a\n{% for p in packages %}\n{{ p.nope | upper }}\n{% endfor %}\n", vars));
    expect(error.location).toEqual({ file: "templates/x.j2", line: 3, column: 4 });
  });

  it("refuses a syntax error", () => {
    expect(errorOf(() => renderString("{% if enabled %}no end", vars, where)).message).toMatch(/template syntax error/);
  });
});

describe("conditions", () => {
  it.each([
    ["name == 'etcd' and port > 1000", true],
    ["'curl' not in packages", false],
    ["missing | default(false) | bool", false],
    ["missing.deeper | default('x') == 'x'", true],
    ["{{ enabled }}", true],
  ])("%s -> %s", (expr, expected) => {
    expect(evaluateCondition(expr, vars, where)).toBe(expected);
  });
});

describe("member access reaches data only", () => {
  it.each(["{{ server.constructor }}", "{{ server['__proto__'] }}", "{{ packages.map }}", "{{ name.constructor.constructor('return 1')() }}", "{{ name | constructor }}"])("%s is refused", (text) => {
    errorOf(() => renderString(text, vars, where));
  });
});

describe("hasTemplate", () => {
  it.each([
    ["plain", false],
    ["{{ x }}", true],
    ["{% if x %}y{% endif %}", true],
    [["a", { b: "{{ c }}" }], true],
  ])("%j -> %s", (value, expected) => {
    expect(hasTemplate(value)).toBe(expected);
  });
});
