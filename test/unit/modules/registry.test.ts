import { parse } from "yaml";
import { describe, expect, it } from "vitest";
import { getModule, moduleFqcn, moduleJsonSchema, modules, shortModuleName, unknownModuleHint, validateArgs } from "../../../src/modules/registry.js";

describe("registry", () => {
  it("holds every module under its own name", () => {
    for (const [name, definition] of modules) expect(definition.name).toBe(name);
    expect([...modules.keys()].sort()).toEqual(
      ["apt", "apt_key", "apt_repository", "artifact", "assert", "async_status", "authorized_key", "blockinfile", "command", "copy", "cron", "debug", "dnf", "env_file", "etcd_key", "fail", "fetch", "file", "get_url", "group", "hostname", "include_vars", "ip_link", "ip_route", "iptables", "lineinfile", "modprobe", "mount", "ovs_bridge", "ovs_port", "ovs_ports", "package", "ping", "raw", "reboot", "replace", "script", "service", "service_facts", "set_fact", "shell", "slurp", "stat", "sysctl", "systemd", "template", "unarchive", "uri", "user", "wait_for", "wait_for_connection", "yum", "yum_repository"].sort(),
    );
  });

  it.each([
    ["ansible.builtin.copy", "copy"],
    ["ansible.legacy.shell", "shell"],
    ["ansible.builtin.apt", "apt"],
    ["ansible.builtin.systemd_service", "systemd"],
    ["systemd_service", "systemd"],
    ["ansible.posix.mount", "mount"],
    ["community.general.modprobe", "modprobe"],
    ["copy", "copy"],
  ])("resolves %s to %s", (alias, name) => {
    expect(getModule(alias)?.name).toBe(name);
  });

  it.each([
    ["ansible.posix.sysctl", "sysctl"],
    ["ansible.builtin.sysctl", "sysctl"],
    ["ansible.legacy.sysctl", "sysctl"],
    ["ansible.builtin.systemd", "systemd"],
    ["runbook.builtin.ip_link", "ip_link"],
    ["copy", "copy"],
  ])("keeps %s as the short name %s", (name, short) => {
    expect(shortModuleName(name)).toBe(short);
  });

  it("gives every module one fully qualified name, from its collection", () => {
    expect(moduleFqcn("sysctl")).toBe("ansible.posix.sysctl");
    expect(moduleFqcn("ansible.legacy.copy")).toBe("ansible.builtin.copy");
    expect(moduleFqcn("systemd")).toBe("ansible.builtin.systemd");
    expect(moduleFqcn("authorized_key")).toBe("ansible.posix.authorized_key");
    expect(moduleFqcn("etcd_key")).toBe("runbook.builtin.etcd_key");
    for (const name of modules.keys()) expect(getModule(moduleFqcn(name) ?? "")?.name).toBe(name);
  });

  it("knows no Ansible spelling of runbook's own modules, nor a wrong collection", () => {
    expect(getModule("ansible.builtin.ip_link")).toBeUndefined();
    expect(getModule("community.general.sysctl")).toBeUndefined();
    expect(getModule("ansible.posix.copy")).toBeUndefined();
    expect(unknownModuleHint("community.general.sysctl")).toBe("did you mean 'ansible.posix.sysctl'? (sysctl is in ansible.posix)");
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
