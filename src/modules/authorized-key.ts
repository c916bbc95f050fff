/** authorized_key: SSH public keys in a user's authorized_keys, added, removed or made exclusive. */
import { posix } from "node:path";
import { z } from "zod";
import { defineModule, type Effect, type Fact, type Step } from "./types.js";
import { editKeyFile } from "./support/authorized-keys.js";
import { fileDiff } from "./support/content.js";
import { change, fail, ok } from "./support/plan.js";
import { ProbeError } from "./support/probe-error.js";
import { boolish } from "./support/schema.js";
import { shScript } from "../transport/quote.js";

const schema = z.strictObject({
  user: z.string().min(1).describe("The account whose keys these are (its home holds ~/.ssh/authorized_keys)."),
  key: z.string().describe("One or more public keys, one a line (lines starting with # are skipped)."),
  path: z.string().min(1).optional().describe("Another authorized_keys file instead of ~user/.ssh/authorized_keys."),
  manage_dir: boolish("Create the key file's directory (0700, owned by the user) when writing.").default(true),
  state: z.enum(["present", "absent"]).default("present").describe("Whether the keys must be in the file."),
  key_options: z.string().optional().describe("Options put in front of every key (from=\"10.0.0.0/8\",no-pty)."),
  exclusive: boolish("Remove every other line of the file (with state present).").default(false),
  comment: z.string().optional().describe("A comment to write after every key instead of the key's own."),
  follow: boolish("Write through a symbolic link at the key file instead of replacing the link.").default(false),
  validate_certs: boolish("Accepted for Ansible's sake; keys from URLs are not supported.").default(true),
});

type KeyArgs = z.output<typeof schema>;

export interface KeyFileState {
  /** Undefined when the user does not exist (only asked about with an explicit path). */
  readonly uid: number | undefined;
  readonly gid: number | undefined;
  /** The key file (after follow). */
  readonly file: string;
  readonly dirExists: boolean;
  /** The file's text; "" when it is not a regular file (as Ansible's readfile). */
  readonly text: string;
}

/*
 * "nouser" and the end, unless a path is given; else "user UID GID" (or "user - -"),
 * "file PATH", "dir" when the file's directory exists, then "text" and the file's bytes when
 * it is a regular file. $1 user, $2 path ("" for the default), $3 follow.
 */
const SCRIPT = [
  'ent=$(getent passwd "$1"); rc=$?',
  'if [ $rc -eq 2 ] && [ -z "$2" ]; then echo nouser; exit 0; elif [ $rc -ne 0 ] && [ $rc -ne 2 ]; then exit $rc; fi',
  'uid=-; gid=-; home=',
  'if [ $rc -eq 0 ]; then IFS=: read -r n x uid gid g home sh <<EOF\n$ent\nEOF\nfi',
  'f="$2"; [ -n "$f" ] || f="$home/.ssh/authorized_keys"',
  'if [ "$3" = 1 ]; then f=$(readlink -m -- "$f"); fi',
  'printf "user %s %s\\nfile %s\\n" "$uid" "$gid" "$f"',
  'if [ -d "$(dirname -- "$f")" ]; then echo dir; fi',
  'if [ -f "$f" ]; then echo text; cat -- "$f"; fi',
].join("\n");

export function parseKeyFileState(stdout: string): KeyFileState | null {
  if (stdout.startsWith("nouser")) return null;
  const user = /^user (\d+|-) (\d+|-)\nfile (.*)\n(dir\n)?(text\n)?/.exec(stdout);
  if (user === null) throw new ProbeError(`unexpected output while reading the key file: ${stdout.slice(0, 80)}`);
  const [head, uid = "", gid = "", file = "", dir, text] = user;
  const id = (value: string): number | undefined => (value === "-" ? undefined : Number(value));
  return { uid: id(uid), gid: id(gid), file, dirExists: dir !== undefined, text: text === undefined ? "" : stdout.slice(head.length) };
}

function keyFileFact(args: KeyArgs): Fact<KeyFileState | null> {
  return {
    argv: shScript(SCRIPT, args.user, args.path ?? "", args.follow ? "1" : "0"),
    parse: (result) => {
      if (result.rc !== 0) throw new ProbeError(`getent passwd failed: ${result.stderr.trim() || `exit ${result.rc}`}`);
      return parseKeyFileState(result.stdout);
    },
  };
}

/** The writes Ansible's keyfile(write=True) and writefile make: the directory, then the file as the user's, 0600. */
function writeSteps(args: KeyArgs, state: KeyFileState, text: string): { steps: Step[]; effects: Effect[] } {
  const dir = posix.dirname(state.file);
  const owner = state.uid === undefined ? undefined : String(state.uid);
  const group = state.gid === undefined ? undefined : String(state.gid);
  const steps: Step[] = [];
  const effects: Effect[] = [];
  if (args.manage_dir) {
    steps.push({ kind: "run", argv: shScript('[ -d "$1" ] || mkdir -m 0700 -- "$1"; chown "$2:$3" -- "$1" && chmod 0700 -- "$1"', dir, owner ?? "", group ?? "") });
    effects.push({ kind: "path", path: dir, after: { exists: true, kind: "directory", mode: "0700", owner, group } });
  } else if (!state.dirExists) {
    steps.push({ kind: "run", argv: ["mkdir", "-p", "--", dir] });
  }
  const content = Buffer.from(text, "utf8");
  steps.push({ kind: "put", path: state.file, content, mode: "0600", owner, group });
  effects.push({ kind: "path", path: state.file, after: { exists: true, kind: "file", content, mode: "0600", owner, group } });
  return { steps, effects };
}

export const authorizedKey = defineModule({
  name: "authorized_key",
  collection: "ansible.posix",
  summary: "Add or remove SSH public keys in a user's authorized_keys",
  example: ["- name: Deploy key", "  authorized_key:", "    user: deploy", '    key: "{{ lookup(\'file\', \'deploy.pub\') }}"'].join("\n"),
  schema,
  facts: (args) => ({ keys: keyFileFact(args) }),
  plan: (args, facts, ctx) => {
    const state = facts.keys;
    if (args.key.startsWith("http")) return fail(`keys from URLs are not supported: ${args.key}`, "read the key with a lookup or get_url first");
    // in check mode with a path, Ansible does not look the user up (an earlier task may create it)
    if (state === null || (state.uid === undefined && !ctx.check)) return fail(`Failed to lookup user ${args.user}: 'getpwnam(): name not found: '${args.user}''`);
    const current = state.text;
    const edit = editKeyFile(current, { keys: args.key, state: args.state, exclusive: args.exclusive, keyOptions: args.key_options, comment: args.comment });
    if (edit.kind === "invalid") return fail(`invalid key specified: ${edit.key}`);
    const data = { keyfile: state.file, user: args.user, key: args.key, exclusive: args.exclusive, manage_dir: args.manage_dir };
    if (!edit.write) return ok(`${state.file} has the keys as wanted`, { data });
    const { steps, effects } = writeSteps(args, state, edit.text);
    return change(steps, `${state.file} needs its keys changed`, effects, { data, diffs: [fileDiff(state.file, current, Buffer.from(edit.text, "utf8"))] });
  },
});
