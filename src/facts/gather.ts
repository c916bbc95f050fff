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
const ARCH_BUILTIN = '__rb_fp=; read -r __rb_fp 2>/dev/null < /proc/self/personality; if [ "$__rb_fp" = 00000000 ] && __rb_c /proc/sys/kernel/arch 2>/dev/null; then :; else uname -m; fi';

// `nproc`: the CPUs the shell may run on (sched_getaffinity: Cpus_allowed_list of its own
// /proc/self/status) that are online, by intersecting the two lists of ranges. nproc itself when
// OMP_NUM_THREADS or OMP_THREAD_LIMIT is set (nproc obeys them) or a list cannot be read.
const CPUS_BUILTIN = `
__rb_n() {
  [ -z "\${OMP_NUM_THREADS+x}\${OMP_THREAD_LIMIT+x}" ] || return 1
  __rb_fa=; __rb_fo=
  while IFS=: read -r __rb_fk __rb_fv; do [ "$__rb_fk" = Cpus_allowed_list ] && __rb_fa=$__rb_fv; done < /proc/self/status
  read -r __rb_fo < /sys/devices/system/cpu/online || return 1
  __rb_ff=$IFS; set -f; IFS=", \t"; __rb_ft=0
  for __rb_fr in $__rb_fa; do
    for __rb_fq in $__rb_fo; do
      __rb_flo=\${__rb_fr%-*}; [ "\${__rb_fq%-*}" -gt "$__rb_flo" ] && __rb_flo=\${__rb_fq%-*}
      __rb_fhi=\${__rb_fr#*-}; [ "\${__rb_fq#*-}" -lt "$__rb_fhi" ] && __rb_fhi=\${__rb_fq#*-}
      [ "$__rb_fhi" -ge "$__rb_flo" ] && __rb_ft=$((__rb_ft + __rb_fhi - __rb_flo + 1))
    done
  done
  IFS=$__rb_ff; set +f
  [ "$__rb_ft" -gt 0 ] && echo "$__rb_ft"
} 2>/dev/null
__rb_n || nproc 2>/dev/null || grep -c '^processor' /proc/cpuinfo 2>/dev/null`;

const ROUTE = "__rb_s ip-route; ip -4 route show default 2>/dev/null";

// One `ip` for the address and the link table (parse.ts tells their lines apart); the default
// route a command of its own.
const NETWORK_BUILTIN = `  if __rb_fb=$(ip -o -batch - 2>/dev/null <<'EOF'
addr show
link show
EOF
); then __rb_s ip-addr-link; printf '%s\\n' "$__rb_fb"; else __rb_s ip-addr; ip -o addr show 2>/dev/null; __rb_s ip-link; ip -o link show 2>/dev/null; fi
  ${ROUTE}`;
const NETWORK_SEPARATE = `  __rb_s ip-addr; ip -o addr show 2>/dev/null\n  __rb_s ip-link; ip -o link show 2>/dev/null\n  ${ROUTE}`;

// The default route in the same batch: a batch's `route show` lists the IPv4 routes, as `-4`
// does (iproute2 takes AF_INET when no family is given), and its lines are the ones that do not
// start with an interface index. -o changes a route only where it spans lines (a multipath
// route's nexthops are joined by a backslash): then the route is asked for again on its own, and
// parse.ts takes that answer.
const NETWORK_ONE_IP = `  if __rb_fb=$(ip -o -batch - 2>/dev/null <<'EOF'
addr show
link show
route show default
EOF
); then __rb_s ip-addr-link-route; printf '%s\\n' "$__rb_fb"; case "
$__rb_fb" in *"
"[!0-9]*\\\\*) ${ROUTE} ;; esac
  else __rb_s ip-addr; ip -o addr show 2>/dev/null; __rb_s ip-link; ip -o link show 2>/dev/null; ${ROUTE}; fi`;

// Runs on every host at the start of every run, so it reads files with the shell's own `read`
// (the __rb_c function) instead of starting `cat`, `grep` or `uname` where a file says the same, and
// lists the environment with the builtin `export -p` rather than the `env` program.
export function factsScript(levers: FactsLevers = FACTS_LEVERS): string {
  const { builtins, files, oneIp } = levers;
  return `${files ? `\n${NSS_FUNCTIONS}\n${FQDN_FUNCTION}\n${USER_FUNCTION}` : ""}
__rb_s() { printf '\\n${SECTION_MARKER} %s\\n' "$1"; }
__rb_c() { [ -r "$1" ] || return 1; while IFS= read -r __rb_fl || [ -n "$__rb_fl" ]; do printf '%s\\n' "$__rb_fl"; done < "$1"; }
__rb_s hostname; __rb_c /proc/sys/kernel/hostname 2>/dev/null || hostname 2>/dev/null || uname -n
__rb_s fqdn; ${files ? "__rb_fqdn 2>/dev/null || " : ""}hostname -f 2>/dev/null || hostname 2>/dev/null || uname -n
__rb_s os-release; __rb_c /etc/os-release 2>/dev/null || __rb_c /usr/lib/os-release 2>/dev/null
__rb_s debian-version; __rb_c /etc/debian_version 2>/dev/null
__rb_s redhat-release; __rb_c /etc/redhat-release 2>/dev/null
__rb_s kernel; __rb_c /proc/sys/kernel/osrelease 2>/dev/null || uname -r
__rb_s arch; ${builtins ? ARCH_BUILTIN : "uname -m"}
__rb_s cpus; ${builtins ? CPUS_BUILTIN : "nproc 2>/dev/null || grep -c '^processor' /proc/cpuinfo 2>/dev/null"}
__rb_s cpuinfo; while IFS= read -r __rb_fl; do case "$__rb_fl" in processor*|'physical id'*|'cpu cores'*|siblings*) printf '%s\\n' "$__rb_fl";; esac; done 2>/dev/null < /proc/cpuinfo
__rb_s meminfo; while read -r __rb_fk __rb_fv __rb_fu; do [ "$__rb_fk" = MemTotal: ] && echo "$__rb_fk $__rb_fv $__rb_fu"; done 2>/dev/null < /proc/meminfo
__rb_s user; ${files ? "__rb_user 2>/dev/null || " : ""}id -un
__rb_s env; export -p
__rb_s pkg-mgr; for __rb_fm in apt-get dnf yum apk zypper pacman; do if command -v "$__rb_fm" >/dev/null 2>&1; then echo "$__rb_fm"; break; fi; done
__rb_s init; __rb_c /proc/1/comm 2>/dev/null; [ -d /run/systemd/system ] && echo systemd-running; [ -x /sbin/openrc ] && echo openrc-installed
if command -v ip >/dev/null 2>&1; then
${builtins ? (oneIp ? NETWORK_ONE_IP : NETWORK_BUILTIN) : NETWORK_SEPARATE}
else
  __rb_s sys-net; for __rb_fd in /sys/class/net/*; do [ -e "$__rb_fd" ] && echo "\${__rb_fd##*/} $(cat "$__rb_fd/address" 2>/dev/null) $(cat "$__rb_fd/mtu" 2>/dev/null) $(cat "$__rb_fd/operstate" 2>/dev/null)"; done
  __rb_s proc-route; cat /proc/net/route 2>/dev/null
fi
__rb_s end
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
