/** A module catalog for tests, shaped like the registry's: strict zod schemas, issues with paths. */
import { z } from "zod";
import type { ArgIssue, ModuleCatalog } from "../../../src/playbook/catalog.js";

const command = z.object({ cmd: z.string(), chdir: z.string().optional(), creates: z.string().optional() }).strict();

const schemas: Record<string, z.ZodType> = {
  command,
  shell: command,
  raw: command,
  ping: z.object({}).strict(),
  debug: z.object({ msg: z.string().optional(), var: z.string().optional(), verbosity: z.number().int().optional() }).strict(),
  copy: z
    .object({ src: z.string().optional(), content: z.string().optional(), dest: z.string(), mode: z.string().optional(), force: z.boolean().optional() })
    .strict(),
  template: z.object({ src: z.string(), dest: z.string(), mode: z.string().optional() }).strict(),
  file: z.object({ path: z.string(), state: z.enum(["file", "directory", "absent", "touch", "link"]).optional() }).strict(),
  apt: z.object({ name: z.union([z.string(), z.array(z.string())]), state: z.enum(["present", "absent", "latest"]).optional() }).strict(),
  service: z.object({ name: z.string(), state: z.enum(["started", "stopped", "restarted", "reloaded"]).optional() }).strict(),
  wait_for: z.object({ port: z.number().int(), timeout: z.number().int().optional() }).strict(),
};

export const fakeCatalog: ModuleCatalog = {
  has: (name) => name in schemas,
  names: () => Object.keys(schemas),
  argumentNames(name) {
    const schema = schemas[name];
    return schema instanceof z.ZodObject ? Object.keys(schema.shape) : undefined;
  },
  validate(name, args) {
    const schema = schemas[name];
    if (schema === undefined) return { ok: false, issues: [{ path: [], message: `unknown module ${name}` }] };
    const result = schema.safeParse(args);
    if (result.success) return { ok: true, args };
    const issues: ArgIssue[] = result.error.issues.flatMap((issue) =>
      issue.code === "unrecognized_keys"
        ? issue.keys.map((key) => ({ path: [...issue.path.map(String), key], message: `unknown argument '${key}'` }))
        : [{ path: issue.path.map((step) => (typeof step === "number" ? step : String(step))), message: issue.message }],
    );
    return { ok: false, issues };
  },
};
