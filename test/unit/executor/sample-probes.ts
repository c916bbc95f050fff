/** Probes for the batch tests. */
import type { Probe } from "../../../src/modules/types.js";
import { shScript } from "../../../src/transport/quote.js";

/** Probes whose outputs, exit codes and stderr differ, including scripts that `exit` early and quote-heavy arguments. */
export const sampleProbes: readonly Probe[] = [
  { argv: shScript('printf "%s|%s|%s" "$1" "$2" "$#"', "it's", "a b") },
  { argv: shScript('echo warn >&2; exit 3') },
  { argv: ["sh", "-c", 'if [ "$1" = x ]; then exit 0; fi; echo "$1"', "sh", "y"] },
  { argv: ["test", "-e", "/nonexistent/path"] },
  { argv: ["printf", "%s\\n", "no newline at the end"] },
  { argv: shScript('t=keep; __rb_rc=9; echo "$t" "$__rb_rc"') },
  { argv: shScript("cat") }, // stdin is /dev/null: ends at once
  { argv: ["sh", "-c", "echo $0"] }, // a plain `sh -c` without $0: runs as its own command
  { argv: shScript("printf 'no newline on stderr' >&2; printf out") },
];
