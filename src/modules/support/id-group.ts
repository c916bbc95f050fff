/**
 * The user module's `id -gn -- NAME` and `id -Gn -- NAME` probes answered by one `id -- NAME`,
 * whose `gid=N(primary) groups=N(primary),M(other)...` lists the same groups in the same order
 * (coreutils prints -G's list and the full one from the same getgrouplist). One process per user
 * instead of two. A user that does not exist is answered too: coreutils' id looks the user up
 * before it reads any flag, so `id -gn`, `id -Gn` and `id` fail with the same status and message
 * (one round trip fewer on a first run that adds the user). Anything else but a clean answer (a
 * group without a name, a name with a blank, a comma or a parenthesis) leaves the members to
 * their own commands.
 */
import type { ProbeGroup, ProbeResult } from "../types.js";
import { quote } from "../../transport/quote.js";

const NAME = "[^\\s(),]+";
const FULL = new RegExp(`^uid=\\d+\\(${NAME}\\) gid=\\d+\\((${NAME})\\) groups=(\\d+\\(${NAME}\\)(?:,\\d+\\(${NAME}\\))*)\\n$`);
const GROUP = new RegExp(`^\\d+\\((${NAME})\\)$`);

/** Each distinct user name once, in the order the members name them. */
function users(members: readonly (readonly string[])[]): string[] {
  return [...new Set(members.map(([, user]) => user ?? ""))];
}

/** The primary group and every group of `id -- NAME`'s output, or undefined when it is not a clean answer. */
function groupsOf(output: ProbeResult | undefined): { primary: string; all: string[] } | undefined {
  if (output === undefined || output.rc !== 0 || output.stderr !== "") return undefined;
  const match = FULL.exec(output.stdout);
  if (match === null) return undefined;
  const all = (match[2] ?? "").split(",").map((entry) => GROUP.exec(entry)?.[1] ?? "");
  return { primary: match[1] ?? "", all };
}

/** coreutils' message, whatever the locale's quotes: the whole of stderr, on one line. */
const NO_SUCH_USER = /^id: [^\n]+: no such user\n$/;

const isNoSuchUser = (output: ProbeResult | undefined): output is ProbeResult =>
  output !== undefined && output.rc === 1 && output.stdout === "" && NO_SUCH_USER.test(output.stderr);

export const idGroup: ProbeGroup = {
  name: "id",
  member: (argv) => (argv.length === 4 && argv[0] === "id" && (argv[1] === "-gn" || argv[1] === "-Gn") && argv[2] === "--" ? [argv[1], argv[3] as string] : undefined),
  commands: (members) => users(members).map((user) => `id -- ${quote(user)}`),
  results: (members, outputs) => {
    const byUser = new Map(users(members).map((user, index) => [user, outputs[index]]));
    return members.map(([flag, user]) => {
      const output = byUser.get(user ?? "");
      if (isNoSuchUser(output)) return output;
      const groups = groupsOf(output);
      if (groups === undefined) return undefined;
      return { rc: 0, stdout: `${flag === "-gn" ? groups.primary : groups.all.join(" ")}\n`, stderr: "" };
    });
  },
};
