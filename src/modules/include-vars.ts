/**
 * include_vars: variables from YAML/JSON files on the controller, as Ansible's action plugin
 * reads them: one `file` (free form too), or every file of a `dir` (sorted, `depth`,
 * `files_matching`, `ignore_files`, `extensions`), optionally under one `name`. Relative paths
 * are looked for in the role's vars/, the role, the playbook's vars/ and the playbook's folder.
 * Values are rendered when included (templates may use each other and the host's variables) and
 * set with set_fact's precedence.
 */
import { readdirSync, statSync } from "node:fs";
import { basename, extname, join } from "node:path";
import { z } from "zod";
import { loadYamlFile } from "../source/yaml.js";
import { findFile } from "../template/jinja/globals.js";
import { isPlainObject } from "../template/values.js";
import { lazyVars } from "../vars/lazy.js";
import { fail, ok } from "./support/plan.js";
import { intArg, stringList } from "./support/schema.js";
import { defineModule, type Plan, type PlanContext } from "./types.js";

const schema = z
  .strictObject({
    file: z.string().min(1).optional().describe("The vars file (YAML or JSON) to read."),
    dir: z.string().min(1).optional().describe("Read every vars file in this directory, in sorted order."),
    name: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, "expected a variable name").optional().describe("Put the variables under this one name instead of at the top level."),
    files_matching: z.string().optional().describe("With dir: only files whose name matches this regular expression."),
    ignore_files: stringList("With dir: file names (regular expressions) to leave out.").optional(),
    extensions: z.array(z.string()).default(["json", "yaml", "yml"]).describe("With dir: the file extensions read."),
    depth: intArg("With dir: how deep to descend (0: all the way).").default(0),
    ignore_unknown_extensions: z.boolean().default(false).describe("With dir: skip files with other extensions instead of failing."),
    hash_behaviour: z.enum(["replace", "merge"]).optional().describe("Accepted for Ansible; included variables replace earlier ones."),
  })
  .refine((args) => (args.file === undefined) !== (args.dir === undefined), { message: "give exactly one of file or dir" });

type Args = z.output<typeof schema>;

/** Every file to read in a directory, sorted, as Ansible walks it. */
function dirFiles(dir: string, args: Args, level = 1): { files: string[]; problem?: string } {
  const files: string[] = [];
  for (const entry of readdirSync(dir).sort()) {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) {
      if (args.depth === 0 || level < args.depth) {
        const inner = dirFiles(path, args, level + 1);
        if (inner.problem !== undefined) return inner;
        files.push(...inner.files);
      }
      continue;
    }
    if (args.files_matching !== undefined && !new RegExp(args.files_matching).test(entry)) continue;
    // Ansible searches each ignore_files pattern with '$' appended: "README" ignores "README", not "a.yml"
    if ((args.ignore_files ?? []).some((pattern) => new RegExp(`${pattern}$`).test(entry))) continue;
    if (!args.extensions.includes(extname(entry).slice(1))) {
      if (args.ignore_unknown_extensions) continue;
      return { files, problem: `${path} does not have a valid extension: ${args.extensions.join(", ")}` };
    }
    files.push(path);
  }
  return { files };
}

/**
 * The files' variables (a later file's win), their templates rendered against the host's
 * variables and every included one, as Ansible would render them when used.
 */
function readVarsFiles(files: readonly string[], ctx: PlanContext): Record<string, unknown> | string {
  const view = Object.defineProperties({}, Object.getOwnPropertyDescriptors(ctx.vars)) as Record<string, unknown>;
  const names = new Set<string>();
  for (const path of files) {
    const source = loadYamlFile(path);
    if (source.value === null || source.value === undefined) continue;
    if (!isPlainObject(source.value)) return `${basename(path)} must be a mapping of variables`;
    // the getters render against the object they are read from: the view, which holds them all
    Object.defineProperties(view, Object.getOwnPropertyDescriptors(lazyVars(source.value, {}, { file: path, line: 1, column: 1 })));
    for (const name of Object.keys(source.value)) names.add(name);
  }
  return Object.fromEntries([...names].map((name) => [name, view[name]]));
}

function plan(args: Args, ctx: PlanContext): Plan {
  const wanted = args.file ?? args.dir ?? "";
  const found = findFile(ctx.vars, wanted, "vars");
  if (found === undefined) return fail(`Could not find or access '${wanted}'`, "paths are looked for in the role's vars/, the role, the playbook's vars/ and the playbook's folder");
  let files = [found];
  if (args.dir !== undefined) {
    if (!statSync(found).isDirectory()) return fail(`${wanted} is not a directory`);
    const listed = dirFiles(found, args);
    if (listed.problem !== undefined) return fail(listed.problem);
    files = listed.files;
  }
  const values = readVarsFiles(files, ctx);
  if (typeof values === "string") return fail(values);
  const facts = args.name === undefined ? values : { [args.name]: values };
  return ok(undefined, { setFacts: facts, data: { ansible_included_var_files: files } });
}

export const includeVars = defineModule({
  name: "include_vars",
  summary: "Set host variables from YAML/JSON files on the controller (one file or a directory)",
  example: ["- name: OS-specific variables", "  include_vars: \"{{ item }}\"", "  with_first_found:", "    - \"{{ ansible_os_family }}.yml\"", "    - default.yml"].join("\n"),
  schema,
  local: true,
  plan: (args, _facts, ctx) => plan(args, ctx),
});
