/** command: runs a program with arguments, no shell (no pipes, globs or variables). */
import { z } from "zod";
import { defineModule } from "./types.js";
import { guardFacts, planRun, runOptionFields } from "./support/run-command.js";
import { splitShellWords } from "../source/shell-words.js";
import { shellJoin, shScript } from "../transport/quote.js";

const schema = z
  .strictObject({
    cmd: z.string().min(1).optional().describe("The command line, split into words like a shell would, but never run by one."),
    argv: z.array(z.string()).min(1).optional().describe("The command as a list of arguments, instead of cmd."),
    ...runOptionFields,
  })
  .superRefine((args, ctx) => {
    if ((args.cmd === undefined) === (args.argv === undefined)) {
      ctx.addIssue({ code: "custom", path: ["cmd"], message: "give exactly one of 'cmd' or 'argv'" });
    }
    if (args.cmd !== undefined) {
      try {
        splitWords(args.cmd);
      } catch (error) {
        ctx.addIssue({ code: "custom", path: ["cmd"], message: (error as Error).message });
      }
    }
  });

export const command = defineModule({
  name: "command",
  summary: "Run a command without a shell; always changed unless creates/removes skip it",
  example: ["- name: Initialise the database", "  command: /usr/local/bin/initdb --data /srv/db", "  args:", "    creates: /srv/db/PG_VERSION"].join("\n"),
  failureChanges: true,
  schema,
  facts: (args) => guardFacts(args),
  plan: (args, guards) => planRun(expandedOnHost(args.argv ?? splitWords(args.cmd ?? "")), args.cmd ?? shellJoin(args.argv ?? []), args, guards),
});

/**
 * Ansible's command expands `$VAR`, `${VAR}` and a leading `~` in every argument on the host
 * (Python's os.path.expandvars then expanduser: an unset variable stays as written), though no
 * shell runs. awk does the same with ENVIRON (and /etc/passwd for `~user`); arguments without
 * `$` or `~` are passed on untouched.
 */
const EXPAND_AWK = [
  "BEGIN { s = ARGV[1]; out = \"\"",
  "  while (match(s, /\\$([A-Za-z0-9_]+|\\{[^}]*\\})/)) {",
  "    tok = substr(s, RSTART, RLENGTH); name = substr(tok, 2)",
  "    if (substr(name, 1, 1) == \"{\") name = substr(name, 2, length(name) - 2)",
  "    out = out substr(s, 1, RSTART - 1) ((name in ENVIRON) ? ENVIRON[name] : tok); s = substr(s, RSTART + RLENGTH)",
  "  }",
  "  s = out s; if (substr(s, 1, 1) != \"~\") { printf \"%s\", s; exit }",
  "  slash = index(s, \"/\"); user = slash ? substr(s, 2, slash - 2) : substr(s, 2); rest = slash ? substr(s, slash) : \"\"",
  "  home = \"\"; if (user == \"\") home = ENVIRON[\"HOME\"]",
  "  else while ((getline line < \"/etc/passwd\") > 0) { split(line, f, \":\"); if (f[1] == user) { home = f[6]; break } }",
  "  if (home == \"\") { printf \"%s\", s; exit }",
  "  sub(/\\/+$/, \"\", home); s = home rest; printf \"%s\", (s == \"\" ? \"/\" : s) }",
].join("\n");

// $1 is the awk program; each argument with $ or a leading ~ goes through it (the x keeps final newlines)
const EXPAND_SCRIPT = [
  'p=$1; shift; for a; do shift',
  `  case $a in *'$'*|'~'*) a=$(awk "$p" "$a"; echo x); a=\${a%x} ;; esac`,
  '  set -- "$@" "$a"',
  'done; exec "$@"',
].join("\n");

/** argv, or argv behind the expanding script when an argument has something to expand. */
export function expandedOnHost(argv: readonly string[]): readonly string[] {
  return argv.some((arg) => arg.includes("$") || arg.startsWith("~")) ? shScript(EXPAND_SCRIPT, EXPAND_AWK, ...argv) : argv;
}

/** `cmd` split as Ansible's command module does (Python's shlex.split). */
export function splitWords(text: string): string[] {
  return splitShellWords(text).map((word) => word.text);
}
