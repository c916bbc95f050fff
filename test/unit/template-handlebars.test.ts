/** Handlebars, for *.hbs template files: strict output, lenient tests, located errors. */
import { describe, expect, it } from "vitest";
import { ParseError, type SourceLocation } from "../../src/errors.js";
import { renderHandlebars as renderString } from "../../src/template/handlebars.js";

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

describe("undefined variables are errors where output needs them", () => {
  it.each([
    ["{{ missing }}", "'missing' is undefined", 3],
    ["x {{ server.nope }}", "'server.nope' is undefined", 5],
    ["{{ missing.deep }}", "'missing.deep' is undefined", 3],
    ["{{ upper missing }}", "'missing' is undefined", 9],
    ["{{ join (default packages) missing }}", "'missing' is undefined", 27],
    ["{{#each missing}}x{{/each}}", "'missing' is undefined", 8],
    ["{{#if enabled}}{{ nope }}{{/if}}", "'nope' is undefined", 18],
    ["{{ hostvars.[k18s01].facts.hostname }} {{ missing }}", "'missing' is undefined", 42],
  ])("%s: %s at +%i", (text, message, column) => {
    const error = renderError(text);
    expect(error.message).toBe(message);
    expect(error.location).toEqual({ file: "play.yml", line: 10, column: inline.column + column });
    expect(error.hint).toContain("default");
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

describe("a value used as a helper", () => {
  it("is a located ParseError, not a TypeError (found by the property test)", () => {
    expect(() => renderString("{{c[1]hostvars['h'].x}}", { c: [1, 2], hostvars: { h: { x: 1 } } }, { file: "t.hbs", line: 3, column: 2 })).toThrow(ParseError);
  });
});
