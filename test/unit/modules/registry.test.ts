import { parse } from "yaml";
import { describe, expect, it } from "vitest";
import { getModule, moduleJsonSchema, modules, unknownModuleHint, validateArgs } from "../../../src/modules/registry.js";

describe("registry", () => {
  it("holds every module under its own name", () => {
    for (const [name, definition] of modules) expect(definition.name).toBe(name);
    expect([...modules.keys()].sort()).toEqual(
      ["artifact", "assert", "blockinfile", "command", "copy", "debug", "fail", "file", "group", "lineinfile", "package", "ping", "service", "service_facts", "set_fact", "shell", "stat", "sysctl", "template", "user", "wait_for", "ip_link", "ip_route", "ovs_bridge", "ovs_port", "ovs_ports", "env_file", "etcd_key"].sort(),
    );
  });

  it.each([
    ["ansible.builtin.copy", "copy"],
    ["ansible.legacy.shell", "shell"],
    ["apt", "package"],
    ["ansible.builtin.dnf", "package"],
    ["yum", "package"],
    ["systemd", "service"],
    ["copy", "copy"],
  ])("resolves %s to %s", (alias, name) => {
    expect(getModule(alias)?.name).toBe(name);
  });

  it("suggests a module for a typo", () => {
    expect(getModule("lineinfle")).toBeUndefined();
    expect(unknownModuleHint("lineinfle")).toMatch(/did you mean 'lineinfile'/);
  });

  it("reports an unknown module through validateArgs", () => {
    const result = validateArgs("cpoy", {});
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.issues[0]?.hint).toMatch(/copy/);
  });

  it("returns the parsed arguments with defaults and normalised values", () => {
    expect(validateArgs("copy", { content: "x", dest: "/f", mode: 644 })).toEqual({ ok: true, args: { content: "x", dest: "/f", force: true, mode: "0644", remote_src: false, follow: false, local_follow: true, backup: false } });
    expect(validateArgs("file", { dest: "/d", state: "directory", recurse: "yes" })).toMatchObject({ ok: true, args: { path: "/d", recurse: true } });
  });

  it.each([...modules.keys()])("%s: JSON Schema, described fields, summary and an example that validates", (name) => {
    const schema = moduleJsonSchema(name);
    const definition = getModule(name);
    expect(definition?.summary).not.toBe("");
    const properties = (schema.properties ?? {}) as Record<string, { description?: string }>;
    for (const [key, property] of Object.entries(properties)) expect(property.description, `${name}.${key}`).toBeTruthy();
    if (name !== "set_fact") expect(schema.additionalProperties).toBe(false);
    expect(definition?.example).toMatch(new RegExp(`^\\s*${name}:`, "m"));
    const [task] = parse(definition?.example ?? "") as Record<string, unknown>[];
    const args = task?.[name];
    if (typeof args === "object") expect(validateArgs(name, args)).toMatchObject({ ok: true });
  });

  it("puts defaults into the JSON Schema", () => {
    const properties = moduleJsonSchema("blockinfile").properties as Record<string, { default?: unknown }>;
    expect(properties.marker?.default).toBe("# {mark} ANSIBLE MANAGED BLOCK");
    expect(properties.create?.default).toBe(false);
  });
});
