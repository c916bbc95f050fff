/**
 * Shell code that answers a name-service lookup from the files themselves (/etc/hosts,
 * /etc/passwd, /etc/group) instead of starting `hostname -f`, `id` or `getent`, for the facts
 * script and the probe batch. It answers only where the C library would certainly give the same
 * answer, and fails (status 1, nothing printed) otherwise, so the caller runs the command:
 * - /etc/nsswitch.conf has exactly one line for the database, `DB: files ...`, with no action
 *   (`[...]`, e.g. SUCCESS=merge) right after `files` and no comment on it: then a name found in
 *   the file is the answer, whatever comes after `files`;
 * - no nscd socket (nscd answers before the files and may remember an older file);
 * - every line read up to the answer has a plain shape (see each function): the C library skips
 *   or reads differently lines this code would misread (a `+` line, a uid with leading zeros, a
 *   name that differs only in case from the host name).
 * A name that is not found is not answered either: a later source (systemd, dns) might know it.
 * The shell's `read` takes a byte per system call, so only the first 64 lines are read.
 *
 * Variables are prefixed `__rb_` (the probe batch's shell runs the probes after these); `set --`
 * inside a function changes only the function's own arguments.
 */

/** A case pattern that matches `word` in any letter case ("hosts" -> [Hh][Oo][Ss][Tt][Ss]). */
function anyCase(word: string): string {
  return [...word].map((char) => (/[a-z]/.test(char) ? `[${char.toUpperCase()}${char}]` : char)).join("");
}

const DIGITS_9 = "[1-9]|[1-9][0-9]|[1-9][0-9][0-9]|[1-9][0-9][0-9][0-9]|[1-9][0-9][0-9][0-9][0-9]|[1-9][0-9][0-9][0-9][0-9][0-9]|[1-9][0-9][0-9][0-9][0-9][0-9][0-9]|[1-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9]|[1-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9]";

/**
 * `__rb_nss DB PATTERN`: whether the lookup of DB goes to the files first (PATTERN: DB in any
 * case, as the C library compares the database names it knows to the line's first word).
 * `__rb_id N`: whether N is a uid or gid written the one way the C library reads it back the same
 * (no leading zero, no sign, at most 9 digits: strtoul wraps longer ones).
 */
export const NSS_FUNCTIONS = `__rb_nss() {
  { [ -S /run/nscd/socket ] || [ -S /var/run/nscd/socket ]; } && return 1
  [ -r /etc/nsswitch.conf ] || return 1
  __rb_nn=0
  while IFS= read -r __rb_nl || [ -n "$__rb_nl" ]; do
    __rb_nw=\${__rb_nl#"\${__rb_nl%%[! \t]*}"}
    case \${__rb_nw%%[: \t]*} in $2) ;; *) continue ;; esac
    case $__rb_nl in *'#'*) return 1 ;; "$1:"*) ;; *) return 1 ;; esac
    set -f; set -- "$1" "$2" \${__rb_nl#*:}; set +f
    [ "\${3-}" = files ] || return 1
    case \${4-} in '['*) return 1 ;; esac
    __rb_nn=$((__rb_nn + 1))
  done < /etc/nsswitch.conf
  [ "$__rb_nn" = 1 ]
}
__rb_id() { case $1 in 0|${DIGITS_9}) return 0 ;; esac; return 1; }`;

/** `__rb_nss` for one database. */
export function nssFilesFirst(database: "hosts" | "passwd" | "group"): string {
  return `__rb_nss ${database} '${anyCase(database)}'`;
}

/**
 * `__rb_fqdn`: what `hostname -f` prints (getaddrinfo(hostname, AI_CANONNAME)), from /etc/hosts:
 * the first name of the first line that names the host. Only for a host name of lower-case
 * letters, digits, dots and dashes that does not start with a digit (inet_aton would take
 * "0x1" or "10" for an address and look nothing up), when every line up to that one has only such
 * characters (the C library compares names without regard to case) and that line's address is
 * a plain dotted quad (a line whose address does not parse is skipped by the C library, and
 * inet_aton takes "10.1" or "012.0.0.1" too).
 */
export const FQDN_FUNCTION = `__rb_octet() { case $1 in 0|[1-9]|[1-9][0-9]|1[0-9][0-9]|2[0-4][0-9]|25[0-5]) return 0 ;; esac; return 1; }
__rb_fqdn() {
  ${nssFilesFirst("hosts")} || return 1
  __rb_h=; read -r __rb_h < /proc/sys/kernel/hostname || return 1
  case $__rb_h in ''|[0-9.-]*|*.|*..*|*[!abcdefghijklmnopqrstuvwxyz0123456789.-]*) return 1 ;; esac
  [ -r /etc/hosts ] || return 1
  __rb_i=0
  while IFS= read -r __rb_l || [ -n "$__rb_l" ]; do
    __rb_i=$((__rb_i + 1)); [ "$__rb_i" -le 64 ] || return 1
    __rb_l=\${__rb_l%%#*}
    case $__rb_l in *[!abcdefghijklmnopqrstuvwxyz0123456789.:_' \t'-]*) return 1 ;; esac
    case " $__rb_l " in *[' \t']"$__rb_h"[' \t']*) ;; *) continue ;; esac
    set -- $__rb_l
    __rb_a=$1
    for __rb_o in 1 2 3; do
      __rb_octet "\${__rb_a%%.*}" || return 1
      case $__rb_a in *.*) __rb_a=\${__rb_a#*.} ;; *) return 1 ;; esac
    done
    __rb_octet "$__rb_a" || return 1
    [ $# -ge 2 ] || return 1
    printf '%s\\n' "$2"
    return 0
  done < /etc/hosts
  return 1
}`;

/**
 * `__rb_user`: what `id -un` prints (getpwuid(geteuid())), from the effective uid in
 * /proc/self/status and the first /etc/passwd line with that uid, when every line up to it has
 * the plain 7-field shape (no `+`/`-`/comment/blank-led line, uid and gid as __rb_id takes them).
 */
export const USER_FUNCTION = `__rb_user() {
  ${nssFilesFirst("passwd")} || return 1
  __rb_e=
  while read -r __rb_k __rb_r __rb_e __rb_x; do [ "$__rb_k" = Uid: ] && break; __rb_e=; done < /proc/self/status
  __rb_id "$__rb_e" || return 1
  [ -r /etc/passwd ] || return 1
  __rb_i=0
  while IFS= read -r __rb_l || [ -n "$__rb_l" ]; do
    __rb_i=$((__rb_i + 1)); [ "$__rb_i" -le 64 ] || return 1
    __rb_passwd_line || return 1
    [ "$__rb_u" = "$__rb_e" ] || continue
    printf '%s\\n' "$__rb_n"
    return 0
  done < /etc/passwd
  return 1
}
__rb_passwd_line() {
  case $__rb_l in [-+#:' \t']*|*:*:*:*:*:*:*:*) return 1 ;; *:*:*:*:*:*:*) ;; *) return 1 ;; esac
  __rb_n=\${__rb_l%%:*}; __rb_r=\${__rb_l#*:}; __rb_r=\${__rb_r#*:}
  __rb_u=\${__rb_r%%:*}; __rb_r=\${__rb_r#*:}; __rb_g=\${__rb_r%%:*}
  __rb_id "$__rb_u" && __rb_id "$__rb_g"
}`;

/**
 * `__rb_getent DB NAME FILES`: what `getent DB NAME` prints for passwd or group (getpwnam,
 * getgrnam), from the first line of /etc/DB that starts with `NAME:`, when FILES is 0 (the
 * status of __rb_nss for DB), no line before it starts with a blank (the C library skips
 * leading blanks) and it has the shape getent prints back byte for byte: 7 fields with
 * canonical ids for passwd; 4 fields, a canonical gid and a plain comma-separated member list
 * for group.
 */
export const GETENT_FUNCTION = `__rb_getent() {
  [ "$3" = 0 ] && [ -r "/etc/$1" ] || return 1
  __rb_i=0
  while IFS= read -r __rb_l || [ -n "$__rb_l" ]; do
    __rb_i=$((__rb_i + 1)); [ "$__rb_i" -le 64 ] || return 1
    case $__rb_l in [' \t']*) return 1 ;; "$2:"*) ;; *) continue ;; esac
    if [ "$1" = passwd ]; then __rb_passwd_line || return 1; else __rb_group_line || return 1; fi
    printf '%s\\n' "$__rb_l"
    return 0
  done < "/etc/$1"
  return 1
}
__rb_group_line() {
  case $__rb_l in *:*:*:*:*) return 1 ;; *:*:*:*) ;; *) return 1 ;; esac
  __rb_r=\${__rb_l#*:*:}; __rb_g=\${__rb_r%%:*}; __rb_m=\${__rb_r#*:}
  case $__rb_m in *[!abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._,-]*|,*|*,|*,,*) return 1 ;; esac
  __rb_id "$__rb_g"
}`;
