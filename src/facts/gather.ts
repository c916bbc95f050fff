/**
 * Fact gathering in one round trip: one POSIX sh script (no python or bash on the host) prints
 * labelled sections, and facts/parse.ts turns them into Facts. Every probe tolerates a missing
 * tool, so a minimal container still answers.
 */
import { RunbookError } from "../errors.js";
import type { Transport } from "../transport/types.js";
import { parseFacts, SECTION_MARKER } from "./parse.js";
import type { Facts } from "./types.js";

export const FACTS_SCRIPT = `
s() { printf '\\n${SECTION_MARKER} %s\\n' "$1"; }
s hostname; hostname 2>/dev/null || uname -n
s fqdn; hostname -f 2>/dev/null || hostname 2>/dev/null || uname -n
s os-release; cat /etc/os-release 2>/dev/null || cat /usr/lib/os-release 2>/dev/null
s debian-version; cat /etc/debian_version 2>/dev/null
s redhat-release; cat /etc/redhat-release 2>/dev/null
s kernel; uname -r
s arch; uname -m
s cpus; nproc 2>/dev/null || grep -c '^processor' /proc/cpuinfo 2>/dev/null
s meminfo; grep '^MemTotal:' /proc/meminfo 2>/dev/null
s user; id -un
s pkg-mgr; for m in apt-get dnf yum apk zypper pacman; do if command -v "$m" >/dev/null 2>&1; then echo "$m"; break; fi; done
s init; cat /proc/1/comm 2>/dev/null; [ -d /run/systemd/system ] && echo systemd-running; [ -x /sbin/openrc ] && echo openrc-installed
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

/** Gathers facts with one command. Throws UnreachableError (from the transport) or RunbookError when the script fails. */
export async function gatherFacts(transport: Transport): Promise<Facts> {
  const result = await transport.run(["sh", "-c", FACTS_SCRIPT]);
  if (result.rc !== 0 || !result.stdout.includes(`${SECTION_MARKER} end`)) {
    throw new RunbookError("runtime", `${transport.host}: fact gathering failed (rc ${result.rc}): ${result.stderr.trim()}`, {
      hint: "the host needs a POSIX sh; set gather_facts: false to skip fact gathering",
    });
  }
  return parseFacts(result.stdout);
}
