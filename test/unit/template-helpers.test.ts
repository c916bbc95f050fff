import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { ParseError } from "../../src/errors.js";
import { HELPERS } from "../../src/template/helpers.js";
import { renderHandlebars as renderString } from "../../src/template/handlebars.js";

const where = { file: "templates/app.conf.hbs", line: 1, column: 1 };
const vars = {
  list: ["b", "a", "c"],
  nums: [1, 2],
  text: "Hello",
  csv: "x,y,z",
  conf: { port: 80, tls: true },
  cidr: "10.1.2.3/24",
  wide: "172.16.5.9/12",
  yes: true,
  no: false,
  empty: "",
  hostvars: { k18s01: { ansible_host: "10.0.0.1", facts: { cpus: 4 } } },
};
const render = (text: string): string => renderString(text, vars, where);

/** [helper, template, expected output]: at least one row per helper (checked below). */
const cases: readonly (readonly [string, string, string])[] = [
  ["default", "{{ default missing 'fb' }}", "fb"],
  ["default", "{{ default empty 'fb' true }}", "fb"],
  ["default", "{{ default text 'fb' }}", "Hello"],
  ["d", "{{ d missing 7 }}", "7"],
  ["join", "{{ join list '-' }}", "b-a-c"],
  ["join", "{{ join nums }}", "12"],
  ["json", "{{ json conf }}", `{"port":80,"tls":true}`],
  ["to_json", "{{ to_json list }}", `["b","a","c"]`],
  ["to_yaml", "{{ to_yaml conf }}", "port: 80\ntls: true\n"],
  ["b64encode", "{{ b64encode 'user:pass' }}", "dXNlcjpwYXNz"],
  ["b64decode", "{{ b64decode 'dXNlcjpwYXNz' }}", "user:pass"],
  ["sha256", "{{ sha256 text }}", createHash("sha256").update("Hello").digest("hex")],
  ["ternary", "{{ ternary yes 'on' 'off' }}", "on"],
  ["ternary", "{{ ternary empty 'on' 'off' }}", "off"],
  ["eq", "{{#if (eq text 'Hello')}}same{{/if}}", "same"],
  ["eq", "{{ eq list (split 'b a c') }}", "true"],
  ["ne", "{{ ne 1 2 }}", "true"],
  ["lt", "{{ lt 1 2 }}/{{ lt 'b' 'a' }}", "true/false"],
  ["gt", "{{ gt conf.port 79 }}", "true"],
  ["and", "{{ and yes text }}/{{ and yes empty }}", "true/false"],
  ["or", "{{ or no empty }}/{{ or no text }}", "false/true"],
  ["not", "{{ not empty }}/{{ not list }}", "true/false"],
  ["lower", "{{ lower text }}", "hello"],
  ["upper", "{{ upper text }}", "HELLO"],
  ["trim", "[{{ trim '  x ' }}]", "[x]"],
  ["split", "{{#each (split csv ',')}}<{{this}}>{{/each}}", "<x><y><z>"],
  ["split", "{{ length (split 'a b') }}", "2"],
  ["first", "{{ first list }}", "b"],
  ["last", "{{ last list }}", "c"],
  ["length", "{{ length list }}/{{ length text }}/{{ length conf }}", "3/5/2"],
  ["count", "{{ count list }}", "3"],
  ["range", "{{#each (range 3)}}{{this}}{{/each}}", "012"],
  ["range", "{{ join (range 2 5) ',' }}", "2,3,4"],
  ["int", "{{ int '42' }}/{{ int 'x' }}/{{ int 3.7 }}", "42/0/3"],
  ["bool", "{{ bool 'yes' }}/{{ bool 'off' }}", "true/false"],
  ["float", "{{ float '1.5' }}", "1.5"],
  ["string", "{{ string 5 }}", "5"],
  ["network", "{{ network cidr }}", "10.1.2.0"],
  ["network", "{{ network wide }}", "172.16.0.0"],
  ["prefix", "{{ prefix cidr }}", "24"],
  ["netmask", "{{ netmask cidr }}/{{ netmask wide }}/{{ netmask '1.2.3.4/0' }}", "255.255.255.0/255.240.0.0/0.0.0.0"],
  ["nth_host", "{{ nth_host cidr 5 }}", "10.1.2.5"],
  ["nth_host", "{{ nth_host '10.0.0.0/8' 65537 }}", "10.1.0.1"],
  ["ipaddr_address", "{{ ipaddr_address cidr }}", "10.1.2.3"],
  ["lookup_host_var", "{{ lookup_host_var 'k18s01' 'ansible_host' }}", "10.0.0.1"],
  ["lookup_host_var", "{{ lookup_host_var 'k18s01' 'facts' }}", `{"cpus":4}`],
];

describe("helpers", () => {
  it.each(cases)("%s: %s -> %s", (_helper, template, expected) => {
    expect(render(template)).toBe(expected);
  });

  it("has a test row for every helper", () => {
    const tested = new Set(cases.map(([helper]) => helper));
    expect(Object.keys(HELPERS).filter((name) => !tested.has(name))).toEqual([]);
  });

  it("is registered on a private instance, not on the global Handlebars", async () => {
    const { default: Handlebars } = await import("handlebars");
    expect(Object.keys(Handlebars.helpers)).not.toContain("nth_host");
  });
});

describe("helper errors are located ParseErrors", () => {
  it.each([
    ["line1\n  {{ nth_host cidr 300 }}", "nth_host: host 300 is outside 10.1.2.3/24 (256 addresses)", 2, 3],
    ["{{ network 'not-an-ip/24' }}", "network: 'not-an-ip' is not an IPv4 address", 1, 1],
    ["{{ prefix '10.0.0.1/33' }}", "prefix: '10.0.0.1/33' is not a CIDR", 1, 1],
    ["{{ lookup_host_var 'nohost' 'x' }}", "lookup_host_var: no host 'nohost' in hostvars", 1, 1],
    ["{{ lookup_host_var 'k18s01' 'nope' }}", "lookup_host_var: host 'k18s01' has no variable 'nope'", 1, 1],
    ["{{ length 5 }}", "length: length of a number is undefined", 1, 1],
    ["{{ lt 1 'a' }}", "lt: lt compares two numbers or two strings", 1, 1],
    ["{{ range 1000000 }}", "range: range needs whole numbers (at most 100000 items)", 1, 1],
    ["{{ join text }}", "join: join needs a list, got a string", 1, 1],
  ])("%s", (template, message, line, column) => {
    try {
      render(template);
      throw new Error("expected a failure");
    } catch (error) {
      expect(error).toBeInstanceOf(ParseError);
      expect((error as ParseError).message).toBe(message);
      expect((error as ParseError).location).toEqual({ file: where.file, line, column });
    }
  });
});
