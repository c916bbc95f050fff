/**
 * env_file: reads a KEY=VALUE file (an environment file such as flannel's
 * /run/flannel/subnet.env or /etc/default/*) into a registered variable; never changes anything.
 * `register: r` gives r.exists and r.env (the variables, quotes removed).
 */
import { z } from "zod";
import { defineLegacyModule, type LegacyPlan } from "./types.js";
import { planOrFail, requireOk } from "./support/probe-error.js";
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

export const envFile = defineLegacyModule({
  name: "env_file",
  summary: "Read a KEY=VALUE environment file (e.g. /run/flannel/subnet.env) into a registered variable",
  example: ["- name: The subnet flannel leased", "  env_file:", "    path: /run/flannel/subnet.env", "  register: flannel", "# then: {{ flannel.env.FLANNEL_SUBNET }}"].join("\n"),
  schema,
  // test -e first, so "missing" (exit 3) is told apart from "unreadable" (cat's error).
  probe: (args) => [{ argv: shScript('test -e "$1" || exit 3; cat -- "$1"', args.path) }],
  plan: (args, results) =>
    planOrFail((): LegacyPlan => {
      const [result] = results;
      if (result?.rc === 3) {
        if (args.required) return { steps: [], failed: `${args.path} does not exist` };
        return { steps: [], data: { exists: false, env: {} }, msg: `${args.path} does not exist` };
      }
      const read = requireOk(result, `reading ${args.path}`);
      return { steps: [], data: { exists: true, env: parseEnvFile(read.stdout) } };
    }),
});
