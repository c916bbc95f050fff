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
import { FQDN_FUNCTION, NSS_FUNCTIONS, USER_FUNCTION } from "./nss-files.js";

/**
 * RUNBOOK_FACTS_BUILTINS=off gathers with the earlier script, which starts `uname -m`, `nproc` and
 * one `ip` per table, to show that the shell's own reads change nothing but the cost.
 */
const FACTS_BUILTINS = process.env["RUNBOOK_FACTS_BUILTINS"] !== "off";

/**
 * RUNBOOK_FACTS_FILES=off starts `hostname -f` and `id -un` again instead of reading /etc/hosts
 * and /etc/passwd where they certainly give the same answer (nss-files.ts).
 */
const FACTS_FILES = process.env["RUNBOOK_FACTS_FILES"] !== "off";

/** What the facts script does with the shell's own reads instead of starting a command (each has its switch). */
export interface FactsLevers {
  /** uname -m, nproc and two of the three ip commands (RUNBOOK_FACTS_BUILTINS). */
  readonly builtins: boolean;
  /** hostname -f and id -un (RUNBOOK_FACTS_FILES). */
  readonly files: boolean;
  /** The default route in the same ip batch as the address and link tables (RUNBOOK_FACTS_ONE_IP; with builtins only). */
  readonly oneIp: boolean;
}

const FACTS_LEVERS: FactsLevers = { builtins: FACTS_BUILTINS, files: FACTS_FILES, oneIp: process.env["RUNBOOK_FACTS_ONE_IP"] !== "off" };

// `uname -m`: the kernel's own name for the machine (kernel.arch, Linux >= 6.1) unless a
// personality is set (linux32 makes uname say i686); uname where either cannot be read.
const ARCH_BUILTIN = 'p=; read -r p 2>/dev/null < /proc/self/personality; if [ "$p" = 00000000 ] && c /proc/sys/kernel/arch 2>/dev/null; then :; else uname -m; fi';

// `nproc`: the CPUs the shell may run on (sched_getaffinity: Cpus_allowed_list of its own
// /proc/self/status) that are online, by intersecting the two lists of ranges. nproc itself when
// OMP_NUM_THREADS or OMP_THREAD_LIMIT is set (nproc obeys them) or a list cannot be read.
const CPUS_BUILTIN = `
n() {
  [ -z "\${OMP_NUM_THREADS+x}\${OMP_THREAD_LIMIT+x}" ] || return 1
  a=; o=
  while IFS=: read -r k v; do [ "$k" = Cpus_allowed_list ] && a=$v; done < /proc/self/status
  read -r o < /sys/devices/system/cpu/online || return 1
  f=$IFS; set -f; IFS=", \t"; t=0
  for r in $a; do
    for q in $o; do
      lo=\${r%-*}; [ "\${q%-*}" -gt "$lo" ] && lo=\${q%-*}
      hi=\${r#*-}; [ "\${q#*-}" -lt "$hi" ] && hi=\${q#*-}
      [ "$hi" -ge "$lo" ] && t=$((t + hi - lo + 1))
    done
  done
  IFS=$f; set +f
  [ "$t" -gt 0 ] && echo "$t"
} 2>/dev/null
n || nproc 2>/dev/null || grep -c '^processor' /proc/cpuinfo 2>/dev/null`;

const ROUTE = "s ip-route; ip -4 route show default 2>/dev/null";

// One `ip` for the address and the link table (parse.ts tells their lines apart); the default
// route a command of its own.
const NETWORK_BUILTIN = `  if b=$(ip -o -batch - 2>/dev/null <<'EOF'
addr show
link show
EOF
); then s ip-addr-link; printf '%s\\n' "$b"; else s ip-addr; ip -o addr show 2>/dev/null; s ip-link; ip -o link show 2>/dev/null; fi
  ${ROUTE}`;
const NETWORK_SEPARATE = `  s ip-addr; ip -o addr show 2>/dev/null\n  s ip-link; ip -o link show 2>/dev/null\n  ${ROUTE}`;

// The default route in the same batch: a batch's `route show` lists the IPv4 routes, as `-4`
// does (iproute2 takes AF_INET when no family is given), and its lines are the ones that do not
// start with an interface index. -o changes a route only where it spans lines (a multipath
// route's nexthops are joined by a backslash): then the route is asked for again on its own, and
// parse.ts takes that answer.
const NETWORK_ONE_IP = `  if b=$(ip -o -batch - 2>/dev/null <<'EOF'
addr show
link show
route show default
EOF
); then s ip-addr-link-route; printf '%s\\n' "$b"; case "
$b" in *"
"[!0-9]*\\\\*) ${ROUTE} ;; esac
  else s ip-addr; ip -o addr show 2>/dev/null; s ip-link; ip -o link show 2>/dev/null; ${ROUTE}; fi`;

// Runs on every host at the start of every run, so it reads files with the shell's own `read`
// (the c function) instead of starting `cat`, `grep` or `uname` where a file says the same, and
// lists the environment with the builtin `export -p` rather than the `env` program.
export function factsScript(levers: FactsLevers = FACTS_LEVERS): string {
  const { builtins, files, oneIp } = levers;
  return `${files ? `\n${NSS_FUNCTIONS}\n${FQDN_FUNCTION}\n${USER_FUNCTION}` : ""}
s() { printf '\\n${SECTION_MARKER} %s\\n' "$1"; }
c() { [ -r "$1" ] || return 1; while IFS= read -r l || [ -n "$l" ]; do printf '%s\\n' "$l"; done < "$1"; }
s hostname; c /proc/sys/kernel/hostname 2>/dev/null || hostname 2>/dev/null || uname -n
s fqdn; ${files ? "__rb_fqdn 2>/dev/null || " : ""}hostname -f 2>/dev/null || hostname 2>/dev/null || uname -n
s os-release; c /etc/os-release 2>/dev/null || c /usr/lib/os-release 2>/dev/null
s debian-version; c /etc/debian_version 2>/dev/null
s redhat-release; c /etc/redhat-release 2>/dev/null
s kernel; c /proc/sys/kernel/osrelease 2>/dev/null || uname -r
s arch; ${builtins ? ARCH_BUILTIN : "uname -m"}
s cpus; ${builtins ? CPUS_BUILTIN : "nproc 2>/dev/null || grep -c '^processor' /proc/cpuinfo 2>/dev/null"}
s cpuinfo; while IFS= read -r l; do case "$l" in processor*|'physical id'*|'cpu cores'*|siblings*) printf '%s\\n' "$l";; esac; done 2>/dev/null < /proc/cpuinfo
s meminfo; while read -r k v u; do [ "$k" = MemTotal: ] && echo "$k $v $u"; done 2>/dev/null < /proc/meminfo
s user; ${files ? "__rb_user 2>/dev/null || " : ""}id -un
s env; export -p
s pkg-mgr; for m in apt-get dnf yum apk zypper pacman; do if command -v "$m" >/dev/null 2>&1; then echo "$m"; break; fi; done
s init; c /proc/1/comm 2>/dev/null; [ -d /run/systemd/system ] && echo systemd-running; [ -x /sbin/openrc ] && echo openrc-installed
if command -v ip >/dev/null 2>&1; then
${builtins ? (oneIp ? NETWORK_ONE_IP : NETWORK_BUILTIN) : NETWORK_SEPARATE}
else
  s sys-net; for d in /sys/class/net/*; do [ -e "$d" ] && echo "\${d##*/} $(cat "$d/address" 2>/dev/null) $(cat "$d/mtu" 2>/dev/null) $(cat "$d/operstate" 2>/dev/null)"; done
  s proc-route; cat /proc/net/route 2>/dev/null
fi
s end
true
`;
}

export const FACTS_SCRIPT = factsScript();

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
