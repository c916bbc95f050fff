/**
 * Fact gathering in one round trip: one POSIX sh script (no python or bash on the host) prints
 * labelled sections, and facts/parse.ts turns them into Facts. Every probe tolerates a missing
 * tool, so a minimal container still answers.
 */
import { RunbookError } from "../errors.js";
import type { CommandResult, Transport } from "../transport/types.js";
import { parseFacts, SECTION_MARKER } from "./parse.js";
import type { Facts } from "./types.js";
import { shScript } from "../transport/quote.js";

// Runs on every host at the start of every run, so it reads files with the shell's own `read`
// (the c function) instead of starting `cat`, `grep` or `uname` where a file says the same, and
// lists the environment with the builtin `export -p` rather than the `env` program.
export const FACTS_SCRIPT = `
s() { printf '\\n${SECTION_MARKER} %s\\n' "$1"; }
c() { [ -r "$1" ] || return 1; while IFS= read -r l || [ -n "$l" ]; do printf '%s\\n' "$l"; done < "$1"; }
s hostname; c /proc/sys/kernel/hostname 2>/dev/null || hostname 2>/dev/null || uname -n
s fqdn; hostname -f 2>/dev/null || hostname 2>/dev/null || uname -n
s os-release; c /etc/os-release 2>/dev/null || c /usr/lib/os-release 2>/dev/null
s debian-version; c /etc/debian_version 2>/dev/null
s redhat-release; c /etc/redhat-release 2>/dev/null
s kernel; c /proc/sys/kernel/osrelease 2>/dev/null || uname -r
s arch; uname -m
s cpus; nproc 2>/dev/null || grep -c '^processor' /proc/cpuinfo 2>/dev/null
s cpuinfo; while IFS= read -r l; do case "$l" in processor*|'physical id'*|'cpu cores'*|siblings*) printf '%s\\n' "$l";; esac; done 2>/dev/null < /proc/cpuinfo
s meminfo; while read -r k v u; do [ "$k" = MemTotal: ] && echo "$k $v $u"; done 2>/dev/null < /proc/meminfo
s user; id -un
s env; export -p
s pkg-mgr; for m in apt-get dnf yum apk zypper pacman; do if command -v "$m" >/dev/null 2>&1; then echo "$m"; break; fi; done
s init; c /proc/1/comm 2>/dev/null; [ -d /run/systemd/system ] && echo systemd-running; [ -x /sbin/openrc ] && echo openrc-installed
if command -v ip >/dev/null 2>&1; then
  s ip-addr; ip -o addr show 2>/dev/null
  s ip-link; ip -o link show 2>/dev/null
  s ip-route; ip -4 route show default 2>/dev/null
else
  s sys-net; for d in /sys/class/net/*; do [ -e "$d" ] && echo "\${d##*/} $(cat "$d/address" 2>/dev/null) $(cat "$d/mtu" 2>/dev/null) $(cat "$d/operstate" 2>/dev/null)"; done
  s proc-route; cat /proc/net/route 2>/dev/null
fi
s end
true
`;

/** The fact script as a command, for callers that send it along with other commands (one round trip). */
export function factsCommand(): readonly string[] {
  return shScript(FACTS_SCRIPT);
}

/** Gathers facts with one command. Throws UnreachableError (from the transport) or RunbookError when the script fails. */
export async function gatherFacts(transport: Transport): Promise<Facts> {
  return factsFromResult(transport.host, await transport.run(factsCommand()));
}

/** Parses the fact script's result; a RunbookError when it did not run to its end. */
export function factsFromResult(host: string, result: CommandResult): Facts {
  if (result.rc !== 0 || !result.stdout.includes(`${SECTION_MARKER} end`)) {
    throw new RunbookError("runtime", `${host}: fact gathering failed (rc ${result.rc}): ${result.stderr.trim()}`, {
      hint: "the host needs a POSIX sh; set gather_facts: false to skip fact gathering",
    });
  }
  return parseFacts(result.stdout);
}
