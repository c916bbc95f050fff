/**
 * A user's home directory as Ansible's user module makes a missing one (create_home, also for
 * an account that exists): /etc/skel copied (links kept), the mode from login.defs' UMASK, and
 * everything owned by the user and their primary group.
 */
import { shScript } from "../../transport/quote.js";
import type { Fact, Step } from "../types.js";
import { ProbeError } from "./probe-error.js";

/** Whether the home exists: `home` when the task names one, else the account's own (none for a missing account: false). */
export function homeExistsFact(name: string, home: string | undefined): Fact<boolean> {
  const script = 'h=${2:-$(getent passwd "$1" | cut -d: -f6)}; if [ -n "$h" ] && [ -e "$h" ]; then echo present; else echo absent; fi';
  return {
    argv: shScript(script, name, home ?? ""),
    subject: home === undefined ? undefined : `path:${home}`,
    parse: (result) => {
      const answer = result.stdout.trim();
      if (result.rc !== 0 || (answer !== "present" && answer !== "absent")) throw new ProbeError(`could not tell whether the home of ${name} exists: ${result.stderr.trim() || `exit ${result.rc}`}`);
      return answer === "present";
    },
    predict: (after) => (after as { exists: boolean }).exists,
  };
}

/** Makes the home unless it exists by then (usermod -m may have moved the old one there). */
export function createHomeStep(name: string, home: string): Step {
  const script = [
    'h=$1; u=$2; [ -e "$h" ] && exit 0',
    'mkdir -p -- "$(dirname -- "$h")"',
    'if [ -d /etc/skel ]; then cp -a -- /etc/skel "$h"; else mkdir -- "$h"; fi',
    'm=$(sed -n "s/^UMASK[[:space:]][[:space:]]*\\([0-7][0-7]*\\)$/\\1/p" /etc/login.defs 2>/dev/null | tail -n 1)',
    'if [ -n "$m" ]; then chmod "$(printf "%o" $((0777 & ~0$m)))" -- "$h"; fi',
    'chown -R -- "$u:$(id -g -- "$u")" "$h"',
  ].join("\n");
  return { kind: "run", argv: shScript(`set -e\n${script}`, home, name), describe: `create the home directory ${home} of ${name} from /etc/skel` };
}
