/** .repo files read and written as Python's RawConfigParser does (yum_repository's file format). */
import { describe, expect, it } from "vitest";
import { dumpRepoIni, parseRepoIni, writeRepoIni } from "../../../src/modules/support/repo-ini.js";

describe("repo-ini", () => {
  it("reads sections, both delimiters, lower-cased keys and continuation lines; drops comments", () => {
    const parsed = parseRepoIni("# hand-made\n[epel]\nName=EPEL\nbaseurl: http://a/\n\thttp://b/\n; note\nenabled = 1\n");
    expect(parsed.ok && [...parsed.ini.entries()].map(([name, options]) => [name, Object.fromEntries(options)])).toEqual([
      ["epel", { name: "EPEL", baseurl: "http://a/\nhttp://b/", enabled: "1" }],
    ]);
  });

  it("refuses an option before any section", () => {
    expect(parseRepoIni("name = x\n")).toEqual({ ok: false, problem: "line 1: an option before any [section]" });
  });

  it("writes options in order with tab-indented continuations and a blank line after each section", () => {
    const ini = new Map([["b", new Map([["name", "B"], ["baseurl", "http://a/\nhttp://b/"]])], ["a", new Map([["name", "A"]])]]);
    expect(writeRepoIni(ini)).toBe("[b]\nname = B\nbaseurl = http://a/\n\thttp://b/\n\n[a]\nname = A\n\n");
    // the comparison Ansible makes sorts both
    expect(dumpRepoIni(ini)).toBe("[a]\nname = A\n\n[b]\nbaseurl = http://a/\nhttp://b/\nname = B\n\n");
  });
});
