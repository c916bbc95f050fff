/**
 * nss-files.ts against the commands it stands in for: each case gets its own /etc/hosts,
 * /etc/nsswitch.conf, /etc/passwd and host name (bind mounts in a mount, UTS and network
 * namespace of its own), and `__rb_fqdn || hostname -f` must print what `hostname -f` prints,
 * `__rb_user || id -un` what `id -un` prints, and the getent group what getent prints, whether
 * the shell's reads answered or the command did.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { FQDN_FUNCTION, NSS_FUNCTIONS, USER_FUNCTION } from "../../src/facts/nss-files.js";

const isolated = process.getuid?.() === 0 && spawnSync("unshare", ["--mount", "--uts", "--net", "true"]).status === 0;

interface Case {
  readonly hosts?: string;
  readonly nsswitch?: string | null;
  readonly passwd?: string;
  readonly hostname?: string;
}

const PASSWD = "root:x:0:0:root:/root:/bin/bash\ndaemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin\n";
const NSSWITCH = "passwd:         files systemd\ngroup:          files systemd\nhosts:          files dns\nnetgroup:       nis\n";

const cases: Record<string, Case> = {
  "a plain entry": { hosts: "127.0.0.1 localhost\n10.0.0.1 h1.example.com h1\n" },
  "no entry for the host": { hosts: "127.0.0.1 localhost\n" },
  "an earlier entry in upper case": { hosts: "10.0.0.5 H1.upper\n10.0.0.1 h1.lower h1\n" },
  "an earlier entry whose address does not parse": { hosts: "999.1.1.1 bad.h1 h1\n10.0.0.1 good.h1 h1\n" },
  "a short address": { hosts: "10.1 short.h1 h1\n10.0.0.1 long.h1 h1\n" },
  "a leading zero": { hosts: "010.0.0.1 oct.h1 h1\n10.0.0.2 dec.h1 h1\n" },
  "an IPv6 entry first": { hosts: "::1 six.h1 h1\n10.0.0.1 four.h1 h1\n" },
  "tabs and a comment": { hosts: "10.0.0.1\tfirst # h1\n10.0.0.2\th1.tab\th1\n" },
  "dns first": { hosts: "10.0.0.1 h1.a h1\n", nsswitch: "hosts: dns files\npasswd: compat\n" },
  "no nsswitch.conf": { hosts: "10.0.0.1 h1.a h1\n", nsswitch: null },
  "a merge action": { hosts: "10.0.0.1 h1.a h1\n", nsswitch: "hosts: files [SUCCESS=merge] dns\npasswd: files [NOTFOUND=return] systemd\n" },
  "two hosts lines": { hosts: "10.0.0.1 h1.a h1\n", nsswitch: "hosts: files\nHosts: dns\n" },
  "a host name in upper case": { hosts: "10.0.0.1 H1.a H1\n", hostname: "H1" },
  "a host name that is a number": { hosts: "10.0.0.1 n.a 12\n", hostname: "12" },
  "the host past line 64": { hosts: `${Array.from({ length: 70 }, (_, i) => `10.1.0.${i + 1} other${i}`).join("\n")}\n10.0.0.1 far.h1 h1\n` },
  "a + line in passwd": { passwd: `+::::::\n${PASSWD}` },
  "a uid with a leading zero": { passwd: `toor:x:00:0::/:/bin/sh\n${PASSWD}` },
  "no user for the uid": { passwd: "daemon:x:1:1::/:/bin/sh\n" },
  "a comment in passwd": { passwd: `# users\n${PASSWD}` },
  "passwd without a last newline": { passwd: "root:x:0:0:root:/root:/bin/bash" },
};

describe.skipIf(!isolated)("name-service answers from the files", () => {
  const dir = mkdtempSync(join(tmpdir(), "runbook-nss-files-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const functions = join(dir, "functions.sh");
  writeFileSync(functions, `${NSS_FUNCTIONS}\n${FQDN_FUNCTION}\n${USER_FUNCTION}\n`);

  const run = (name: string, spec: Case, shell: string): Record<string, string> => {
    const at = (file: string): string => join(dir, `${name.replace(/\W/g, "_")}.${file}`);
    writeFileSync(at("hosts"), spec.hosts ?? "10.0.0.1 h1.a h1\n");
    writeFileSync(at("passwd"), spec.passwd ?? PASSWD);
    writeFileSync(at("nsswitch"), spec.nsswitch ?? "");
    const nsswitch = spec.nsswitch === null ? "/dev/null" : spec.nsswitch === undefined ? "" : at("nsswitch");
    const script = [
      `mount --bind ${at("hosts")} /etc/hosts && mount --bind ${at("passwd")} /etc/passwd || exit 9`,
      nsswitch === "" ? `printf '%s' '${NSSWITCH}' > ${at("nsswitch")} && mount --bind ${at("nsswitch")} /etc/nsswitch.conf` : `mount --bind ${nsswitch} /etc/nsswitch.conf`,
      `hostname ${spec.hostname ?? "h1"}`,
      `printf 'fqdn %s\\n' "$(/bin/hostname -f 2>/dev/null || /bin/hostname)"`,
      `printf 'fqdn-files %s\\n' "$(${shell} -c '. ${functions}; __rb_fqdn 2>/dev/null || /bin/hostname -f 2>/dev/null || /bin/hostname')"`,
      `printf 'user %s\\n' "$(id -un 2>&1)"`,
      `printf 'user-files %s\\n' "$(${shell} -c '. ${functions}; __rb_user 2>/dev/null || /usr/bin/id -un 2>&1')"`,
    ].join("\n");
    const output = execFileSync("unshare", ["--mount", "--uts", "--net", "sh", "-c", script], { encoding: "utf8" });
    return Object.fromEntries(output.trim().split("\n").map((line) => [line.slice(0, line.indexOf(" ")), line.slice(line.indexOf(" ") + 1)]));
  };

  it.each(Object.entries(cases).flatMap(([name, spec]) => ["dash", "/bin/busybox sh", "bash --posix"].map((shell) => [name, shell, spec] as const)))(
    "%s, under %s",
    (name, shell, spec) => {
      const got = run(name, spec, shell);
      expect(got["fqdn-files"]).toBe(got["fqdn"]);
      expect(got["user-files"]).toBe(got["user"]);
    },
  );
});
