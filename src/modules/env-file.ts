/**
 * env_file: reads a KEY=VALUE file (an environment file such as flannel's
 * /run/flannel/subnet.env or /etc/default/*) into a registered variable; never changes anything.
 * `register: r` gives r.exists and r.env (the variables, quotes removed).
 */
import { z } from "zod";
import { defineModule, type Fact, type PathAfter } from "./types.js";
import { RUNBOOK_COLLECTION } from "./names.js";
import { fail, ok } from "./support/plan.js";
import { requireOk } from "./support/probe-error.js";
import { boolish } from "./support/schema.js";
import { shScript } from "../transport/quote.js";

const schema = z.strictObject({
  path: z.string().min(1).describe("The file to read."),
  required: boolish("Fail when the file does not exist (otherwise exists is false and env empty).").default(true),
});

const LINE = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)=(.*)$/;

/** Unquotes a value the way sh would for the simple forms env files use: 'x', "x", x. */
function unquote(raw: string): string {
  const value = raw.trim();
  if (value.length >= 2 && value.startsWith("'") && value.endsWith("'")) return value.slice(1, -1);
  if (value.length >= 2 && value.startsWith('"') && value.endsWith('"')) return value.slice(1, -1).replace(/\\(["\\$`])/g, "$1");
  return value.replace(/\s+#.*$/, "");
}

/** KEY=VALUE lines; comments, blank and other lines are skipped; a later key wins. */
export function parseEnvFile(text: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const line of text.split("\n")) {
    const match = LINE.exec(line);
    // LINE needs a name first, so a "# comment" line never matches.
    if (match?.[1] !== undefined) env[match[1]] = unquote(match[2] ?? "");
  }
  return env;
}

type EnvText = { readonly exists: false } | { readonly exists: true; readonly text: string };

/**
 * The file's text; "missing" is a value (test -e first, exit 3), "unreadable" the host's failure
 * (cat's error). Its subject is the path: in check mode a file an earlier task would write is read.
 */
function envTextFact(path: string): Fact<EnvText> {
  return {
    argv: shScript('test -e "$1" || exit 3; cat -- "$1"', path),
    subject: `path:${path}`,
    parse: (result) => (result.rc === 3 ? { exists: false } : { exists: true, text: requireOk(result, `reading ${path}`).stdout }),
    predict: (after) => predictEnvText(after as PathAfter),
  };
}

/** Undefined (unknown in check mode) when the change did not say what the file holds. */
function predictEnvText(after: PathAfter): EnvText | undefined {
  if (!after.exists) return { exists: false };
  return after.kind === "file" && after.content !== undefined ? { exists: true, text: after.content.toString("utf8") } : undefined;
}

export const envFile = defineModule({
  name: "env_file",
  collection: RUNBOOK_COLLECTION,
  summary: "Read a KEY=VALUE environment file (e.g. /run/flannel/subnet.env) into a registered variable",
  example: ["- name: The subnet flannel leased", "  env_file:", "    path: /run/flannel/subnet.env", "  register: flannel", "# then: {{ flannel.env.FLANNEL_SUBNET }}"].join("\n"),
  schema,
  readsOnly: true,
  facts: (args) => ({ file: envTextFact(args.path) }),
  plan: (args, facts) => {
    if (facts.file.exists) return ok(undefined, { data: { exists: true, env: parseEnvFile(facts.file.text) } });
    if (args.required) return fail(`${args.path} does not exist`);
    return ok(`${args.path} does not exist`, { data: { exists: false, env: {} } });
  },
});
