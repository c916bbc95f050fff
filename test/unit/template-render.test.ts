import { describe, expect, it } from "vitest";
import { ParseError, type SourceLocation } from "../../src/errors.js";
import { renderString, renderValue } from "../../src/template/index.js";

const inline: SourceLocation = { file: "play.yml", line: 10, column: 5 };
const templateFile: SourceLocation = { file: "templates/etcd.conf.hbs", line: 1, column: 1 };
const vars = {
  name: "etcd",
  html: `<a href="x">&</a>`,
  port: "2379",
  count: 3,
  first: "a",
  network: "lan",
  enabled: true,
  packages: ["curl", "jq"],
  empty: [],
  server: { host: "k18s01", ports: [80, 443], tls: { cert: "/etc/cert.pem" } },
  hostvars: { k18s01: { facts: { hostname: "k18s01.lab" }, ip: "10.0.0.1" }, "k18s-02": { ip: "10.0.0.2" } },
  groups: { etcd: ["k18s01", "k18s-02"] },
  group_name: "etcd",
  first_host: "k18s01",
};

function renderError(text: string, where: SourceLocation = inline): ParseError {
  try {
    renderString(text, vars, where);
  } catch (error) {
    expect(error).toBeInstanceOf(ParseError);
    return error as ParseError;
  }
  throw new Error(`expected '${text}' to fail`);
}

describe("renderString", () => {
  it.each([
    ["no braces at all", "no braces at all"],
    ["{{ name }}", "etcd"],
    ["{{name}}-{{ port }}", "etcd-2379"],
    ["{{ html }}", `<a href="x">&</a>`],
    ["{{ server.host }}:{{ server.ports.[1] }}", "k18s01:443"],
    ["{{ server.tls.cert }}", "/etc/cert.pem"],
    ["{{ packages }}", `["curl","jq"]`],
    ["{{ server.tls }}", `{"cert":"/etc/cert.pem"}`],
    ["{{ count }} {{ enabled }}", "3 true"],
    ["{{#each packages}}{{this}};{{/each}}", "curl;jq;"],
    ["{{#each server.ports}}{{@index}}={{this}} {{/each}}", "0=80 1=443 "],
    ["{{#each packages as |p|}}[{{p}}]{{/each}}", "[curl][jq]"],
    ["{{#if enabled}}on{{else}}off{{/if}}", "on"],
    ["{{#if missing}}on{{else}}off{{/if}}", "off"],
    ["{{#if missing.deeper.still}}on{{else}}off{{/if}}", "off"],
    ["{{#unless missing}}absent{{/unless}}", "absent"],
    ["{{#with missing}}x{{else}}none{{/with}}", "none"],
    ["{{#with server.tls}}{{cert}}{{/with}}", "/etc/cert.pem"],
    ["{{ default missing 'fallback' }}", "fallback"],
    ["{{ default missing.deep 'fallback' }}", "fallback"],
    ["{{ default name 'fallback' }}", "etcd"],
    ["{{!-- a comment {{ missing }} --}}kept", "kept"],
    ["\\{{ name }}", "{{ name }}"],
    ["n=${#arr[@]} {# not Jinja #} 100%", "n=${#arr[@]} {# not Jinja #} 100%"],
    ["{{ count }}-{{ first }}-{{ network }}", "3-a-lan"],
  ])("%s -> %s", (text, expected) => {
    expect(renderString(text, vars, inline)).toBe(expected);
  });

  it("renders the same template text with different variables (compiled once, cached by text)", () => {
    const text = "host={{ name }}";
    expect(renderString(text, { name: "a" }, inline)).toBe("host=a");
    expect(renderString(text, { name: "b" }, inline)).toBe("host=b");
  });
});

describe("Ansible spellings", () => {
  it.each([
    ["{{ hostvars['k18s01'].facts.hostname }}", "k18s01.lab"],
    ['{{ hostvars["k18s-02"].ip }}', "10.0.0.2"],
    ["{{ groups['etcd'][1] }}", "k18s-02"],
    ["{{ groups['etcd'] | join(',') }}", "k18s01,k18s-02"],
    ["{{ server['ports'][0] }}", "80"],
    ["{{#each groups['etcd']}}<{{this}}>{{/each}}", "<k18s01><k18s-02>"],
    ["{{#if hostvars['nohost'].ip}}y{{else}}n{{/if}}", "n"],
    ["{{ default missing 'a[0]' }}", "a[0]"],
    ["{{ missing | default('x') }}", "x"],
    ["{{ missing | default(name) | upper }}", "ETCD"],
    ["{{ packages | join(', ') }}", "curl, jq"],
    ["{{ name | upper }}", "ETCD"],
    ["{{ 'MiXed' | lower }}", "mixed"],
    ["{{ port | int }}", "2379"],
    ["{{ server.tls | to_json }}", `{"cert":"/etc/cert.pem"}`],
    ["{{ name | b64encode }}", "ZXRjZA=="],
    ["{{ '  x  ' | trim }}|", "x|"],
    ["{{ packages | length }}", "2"],
    ["{{ enabled | ternary('yes', 'no') }}", "yes"],
    ["{{ missing | default(True) }}", "true"],
    ["{{ missing | default(None) }}", ""],
    ["{{~ name | upper ~}} !", "ETCD!"],
    ["a {{ name | upper }} b {{ missing | default('z') }} c", "a ETCD b z c"],
  ])("%s -> %s", (text, expected) => {
    expect(renderString(text, vars, inline)).toBe(expected);
  });

  it.each([
    ["{{ name | regex_replace('a', 'b') }}", "unsupported filter 'regex_replace('a', 'b')'", 10, "{{ helper value arg }}"],
    ["{{ name | uper }}", "unsupported filter 'uper'", 10, "did you mean 'upper'?"],
    ["{{ name | default([]) }}", "list and dict literals", 18, "default([])"],
    ["{{ name | join(', ', {}) }}", "list and dict literals", 21, "default([])"],
    ["{% if enabled %}x{% endif %}", "Jinja statements ('{% if %}') are not supported", 0, "{{#if x}}"],
    ["{{ 'open | upper }}", "unterminated string", 3, "close the quote"],
    ["{{ name || 'x' }}", "missing filter name after '|'", 9, "{{ or a b }}"],
  ])("%s is refused: %s", (text, message, column, hint) => {
    const error = renderError(text);
    expect(error.message).toContain(message);
    expect(error.location).toEqual({ file: "play.yml", line: 10, column: inline.column + column });
    expect(error.hint).toContain(hint);
  });

  it("refuses a Jinja statement on a later line at its own line", () => {
    const error = renderError("text\n  {%- for x in y %}");
    expect(error.message).toContain("Jinja statements ('{% for %}') are not supported");
    expect(error.location).toEqual({ file: "play.yml", line: 11, column: 3 });
    expect(error.hint).toContain("{{#each list}}");
  });
});

describe("undefined variables are errors where output needs them", () => {
  it.each([
    ["{{ missing }}", "'missing' is undefined", 3],
    ["x {{ server.nope }}", "'server.nope' is undefined", 5],
    ["{{ missing.deep }}", "'missing.deep' is undefined", 3],
    ["{{ upper missing }}", "'missing' is undefined", 9],
    ["{{ join (default packages) missing }}", "'missing' is undefined", 27],
    ["{{#each missing}}x{{/each}}", "'missing' is undefined", 8],
    ["{{#if enabled}}{{ nope }}{{/if}}", "'nope' is undefined", 18],
    ["{{ hostvars['k18s01'].facts.hostname }} {{ missing }}", "'missing' is undefined", 43],
  ])("%s: %s at +%i", (text, message, column) => {
    const error = renderError(text);
    expect(error.message).toBe(message);
    expect(error.location).toEqual({ file: "play.yml", line: 10, column: inline.column + column });
    expect(error.hint).toContain("default");
  });

  it.each([
    ["ab {{ missing | upper }}", "'missing' is undefined", 3],
    ["ab {{ hostvars['nohost'].ip }}", "'hostvars['nohost'].ip' is undefined", 3],
    ["{{ groups['etcd'][5] }}", "'groups['etcd'][5]' is undefined", 0],
  ])("inside a rewritten mustache %s points at its '{{'", (text, message, column) => {
    const error = renderError(text);
    expect(error.message).toBe(message);
    expect(error.location?.column).toBe(inline.column + column);
  });

  it("reports the line inside a multi-line template file", () => {
    const template = ["# etcd config", "name: {{ name }}", "", "{{#each packages}}", "pkg: {{this}}", "{{/each}}", "url: http://{{ server.host }}:{{ client_port }}", "end"].join("\n");
    const error = renderError(template, templateFile);
    expect(error.message).toBe("'client_port' is undefined");
    expect(error.location).toEqual({ file: "templates/etcd.conf.hbs", line: 7, column: 34 });
  });

  it("offsets template lines onto a string that starts mid-file", () => {
    const error = renderError("first {{ name }}\n  second {{ nope }}", { file: "play.yml", line: 20, column: 12 });
    expect(error.location).toEqual({ file: "play.yml", line: 21, column: 13 });
  });

  it("keeps columns right after a rewritten mustache on the same line", () => {
    const error = renderError("{{ packages | join(',') }} and {{ groups['etcd'][0] }} {{ later }}", templateFile);
    expect(error.location?.column).toBe(1 + "{{ packages | join(',') }} and {{ groups['etcd'][0] }} {{ ".length);
  });
});

describe("template syntax errors", () => {
  it.each([
    ["{{ a + b }}", "invalid template: unexpected character", 10, 10],
    ["{{ name", "invalid template", 10, 8],
    ["ok\n\n{{#if enabled}}\nx\n{{/each}}", "if doesn't match each", 12, 4],
    ["{{#if enabled}}never closed", "invalid template: unexpected eof", 10, 32],
    ["x\n  {{ a b c = }}", "invalid template: unexpected close", 11, 14],
  ])("%s: %s at %i:%i", (text, message, line, column) => {
    const error = renderError(text);
    expect(error.message).toContain(message);
    expect(error.location).toEqual({ file: "play.yml", line, column });
    expect(error.hint).toContain("Handlebars");
  });

  it("reports a missing partial at the template's start", () => {
    const error = renderError("x {{> nosuch }}");
    expect(error.message).toContain("nosuch");
    expect(error.location).toEqual(inline);
  });

  it("names an unknown helper and suggests a close one", () => {
    const error = renderError("{{ uper name }}");
    expect(error.message).toBe("unknown helper 'uper'");
    expect(error.hint).toBe("did you mean 'upper'?");
    expect(error.location).toEqual({ file: "play.yml", line: 10, column: 5 });
  });

  it("locates a cached syntax error for each caller", () => {
    renderError("{{ a + b }}");
    expect(renderError("{{ a + b }}", templateFile).location).toEqual({ file: "templates/etcd.conf.hbs", line: 1, column: 6 });
  });
});

describe("renderValue", () => {
  it.each([
    ["{{ packages }}", ["curl", "jq"]],
    ["{{packages}}", ["curl", "jq"]],
    ["{{ server }}", vars.server],
    ["{{ server.ports }}", [80, 443]],
    ["{{ count }}", 3],
    ["{{ enabled }}", true],
    ["{{ port | int }}", 2379],
    ["{{ hostvars['k18s01'].facts }}", { hostname: "k18s01.lab" }],
    ["{{ groups['etcd'] }}", ["k18s01", "k18s-02"]],
    ["{{ groups[group_name] }}", ["k18s01", "k18s-02"]],
    ["{{ hostvars[first_host].ip }}", "10.0.0.1"],
    ["{{ hostvars[first_host].ip6 | default(hostvars[first_host].ip) }}", "10.0.0.1"],
    ["{{ missing | default([]) }}", []],
    ["{{ missing | default({}) }}", {}],
    ["{{ packages | length }}", 2],
    ["{{ count }} items", "3 items"],
    [" {{ count }}", " 3"],
    ["{{ name }}-{{ port }}", "etcd-2379"],
    ["{{ join packages ' ' }}", "curl jq"],
    ["{{ json packages }}", '["curl","jq"]'],
    ["{{ name == 'etcd' }}", true],
    ["{{ 'yes' if count > 2 else 'no' }}", "yes"],
    ["{{ ['a', name] }}", ["a", "etcd"]],
    ["{{#if enabled}}on{{/if}}", "on"],
    ["plain", "plain"],
  ])("%s -> %j", (text, expected) => {
    expect(renderValue(text, vars, inline)).toEqual(expected);
  });

  it("walks objects and arrays and leaves non-strings alone", () => {
    const input = { name: "{{ name }}", list: ["{{ port }}", 5, null, { deep: "{{ packages }}" }], flag: false, plain: "x" };
    expect(renderValue(input, vars, inline)).toEqual({ name: "etcd", list: ["2379", 5, null, { deep: ["curl", "jq"] }], flag: false, plain: "x" });
    expect(input.name).toBe("{{ name }}");
  });

  it("reports undefined native values at their column", () => {
    try {
      renderValue({ loop: "{{ missing_list }}" }, vars, inline);
      throw new Error("expected a failure");
    } catch (error) {
      expect(error).toBeInstanceOf(ParseError);
      expect((error as ParseError).message).toBe("'missing_list' is undefined");
      expect((error as ParseError).location).toEqual({ file: "play.yml", line: 10, column: 8 });
    }
  });
});

describe("a value used as a helper", () => {
  it("is a located ParseError, not a TypeError (found by the property test)", () => {
    expect(() => renderString("{{c[1]hostvars['h'].x}}", { c: [1, 2], hostvars: { h: { x: 1 } } }, { file: "t.hbs", line: 3, column: 2 })).toThrow(ParseError);
  });
});
