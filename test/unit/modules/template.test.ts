import { describe, expect, it } from "vitest";
import { template } from "../../../src/modules/template.js";
import { absent, ok, present, runGolden, written, type GoldenCase } from "./helpers.js";
import { describeSchemaCases } from "./schema-cases.js";

const templates = { "nginx.conf.hbs": "worker_processes 2;\n" };

const cases: GoldenCase[] = [
  {
    name: "rendered content already there",
    args: { src: "nginx.conf.hbs", dest: "/etc/nginx/nginx.conf" },
    context: { templates },
    probes: [present({ content: "worker_processes 2;\n" }), absent()],
    expect: { steps: [], changed: false },
  },
  {
    name: "rendered content differs",
    args: { src: "nginx.conf.hbs", dest: "/etc/nginx/nginx.conf", mode: "0644" },
    context: { templates, vars: { ansible_diff_mode: true } },
    probes: [present({ content: "worker_processes 1;\n" }), absent(), ok("worker_processes 1;\n")],
    expect: {
      steps: [{ put: "/etc/nginx/nginx.conf", content: "worker_processes 2;\n", mode: "0644", owner: "root", group: "root" }],
      diffs: [{ path: "/etc/nginx/nginx.conf", before: "worker_processes 1;\n", after: "worker_processes 2;\n" }],
      effects: [written("/etc/nginx/nginx.conf", "worker_processes 2;\n", { mode: "0644", owner: "root", group: "root" })],
    },
  },
  {
    name: "attributes only",
    args: { src: "nginx.conf.hbs", dest: "/etc/nginx/nginx.conf", group: "www-data" },
    context: { templates },
    probes: [present({ content: "worker_processes 2;\n" }), absent()],
    expect: { steps: [["chown", ":www-data", "--", "/etc/nginx/nginx.conf"]] },
  },
  {
    name: "into a directory",
    args: { src: "nginx.conf.hbs", dest: "/etc/nginx/" },
    context: { templates },
    probes: [absent(), present({ kind: "directory" })],
    expect: { steps: [{ put: "/etc/nginx/nginx.conf.hbs", content: "worker_processes 2;\n" }], effects: [written("/etc/nginx/nginx.conf.hbs", "worker_processes 2;\n")] },
  },
  {
    name: "onto an existing directory: into it",
    args: { src: "nginx.conf.hbs", dest: "/etc/nginx" },
    context: { templates },
    probes: [present({ kind: "directory" }), absent()],
    expect: { steps: [{ put: "/etc/nginx/nginx.conf.hbs", content: "worker_processes 2;\n" }] },
  },
  {
    name: "CRLF lines are written with newline_sequence",
    args: { src: "crlf.hbs", dest: "/etc/x/" },
    context: { templates: { "crlf.hbs": "a\r\nb\r\n" } },
    probes: [absent(), absent()],
    expect: { steps: [["sh", "-c", expect.any(String), "sh", "", "", "", "/etc", "/etc/x"], { put: "/etc/x/crlf.hbs", content: "a\nb\n" }] },
  },
  {
    name: "backup and validate",
    args: { src: "nginx.conf.hbs", dest: "/etc/n.conf", backup: true, validate: "nginx -t -c %s" },
    context: { templates },
    probes: [present({ content: "old\n", mode: "640" }), absent()],
    expect: {
      steps: [
        ["sh", "-c", expect.stringContaining("$$.$(date +%Y-%m-%d@%H:%M:%S)~"), "sh", "/etc/n.conf"],
        { put: "/etc/.n.conf.runbook-validate.tmp", content: "worker_processes 2;\n", mode: "0640", owner: "root", group: "root" },
        ["sh", "-c", expect.any(String), "sh", "/etc/.n.conf.runbook-validate.tmp", "/etc/n.conf", "nginx -t -c /etc/.n.conf.runbook-validate.tmp"],
      ],
    },
  },
];

describe("template", () => {
  it.each(cases)("$name", (golden) => {
    runGolden(template, golden);
  });
});

describeSchemaCases("template", [
  { name: "unknown argument", args: { src: "a", dest: "/b", dset: "/c" }, issues: [{ path: ["dset"], message: /unknown argument/, hint: /dest/ }] },
  { name: "missing src", args: { dest: "/b" }, issues: [{ path: ["src"], message: /missing required argument 'src'/ }] },
  { name: "wrong type", args: { src: "a", dest: 5 }, issues: [{ path: ["dest"], message: /expected string, got number 5/ }] },
]);
