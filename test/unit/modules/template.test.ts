import { describe, it } from "vitest";
import { template } from "../../../src/modules/template.js";
import { absent, ok, present, rc, runGolden, written, type GoldenCase } from "./helpers.js";
import { describeSchemaCases } from "./schema-cases.js";

const templates = { "nginx.conf.hbs": "worker_processes 2;\n" };

const cases: GoldenCase[] = [
  {
    name: "rendered content already there",
    args: { src: "nginx.conf.hbs", dest: "/etc/nginx/nginx.conf" },
    context: { templates },
    probes: [present({ content: "worker_processes 2;\n" }), ok("worker_processes 2;\n")],
    expect: { steps: [], changed: false },
  },
  {
    name: "rendered content differs",
    args: { src: "nginx.conf.hbs", dest: "/etc/nginx/nginx.conf", mode: "0644" },
    context: { templates, vars: { ansible_diff_mode: true } },
    probes: [present({ content: "worker_processes 1;\n" }), ok("worker_processes 1;\n")],
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
    probes: [present({ content: "worker_processes 2;\n" }), ok("worker_processes 2;\n")],
    expect: { steps: [["chown", ":www-data", "--", "/etc/nginx/nginx.conf"]] },
  },
  {
    name: "into a directory",
    args: { src: "nginx.conf.hbs", dest: "/etc/nginx/" },
    context: { templates },
    probes: [absent(), rc(1)],
    expect: { steps: [{ put: "/etc/nginx/nginx.conf.hbs", content: "worker_processes 2;\n" }], effects: [written("/etc/nginx/nginx.conf.hbs", "worker_processes 2;\n")] },
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
