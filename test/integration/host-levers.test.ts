/**
 * The host-side levers (issue 14: fewer processes per host per run) change nothing but the cost,
 * on real lab hosts over SSH, some of them in odd states: no /etc/hosts line for the host, IPv6
 * off, a multipath default route, a comment and a `+` line in /etc/passwd, an upper-case alias.
 * - facts: the facts script with every lever on gives the same Facts as with every lever off;
 * - probes: the probe batch with its groups gives each probe what it gets when run on its own,
 *   for paths that are dangling links, links to odd targets and names with spaces and newlines,
 *   users and groups that exist and that do not.
 * Brings up its own lab (its hosts' state is changed) and takes it down afterwards.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { factsCommand, factsScript } from "../../src/facts/gather.js";
import { FQDN_FUNCTION, NSS_FUNCTIONS, USER_FUNCTION } from "../../src/facts/nss-files.js";
import { parseFacts } from "../../src/facts/parse.js";
import { labDown, labUnavailableReason, labUp, type LabInfo } from "../../src/lab/index.js";
import { runProbes } from "../../src/executor/probe-batch.js";
import { fileStateProbe } from "../../src/modules/support/file-state.js";
import { readFileProbe } from "../../src/modules/support/content.js";
import type { Probe } from "../../src/modules/types.js";
import { shScript } from "../../src/transport/quote.js";
import { SshTransport } from "../../src/transport/ssh.js";
import type { Transport } from "../../src/transport/types.js";
import { testLabName } from "./lab-helpers.js";

const LAB = testLabName("levers");
const HOSTS = 5;
const ALL_ON = { builtins: true, files: true, oneIp: true } as const;
const ALL_OFF = { builtins: false, files: false, oneIp: false } as const;

/** Every host gets a default route (the lab's have none) through the subnet's first address. */
const DEFAULT_ROUTE = `gw=$(ip -4 -o addr show dev eth0 | awk '{ split($4, a, "/"); split(a[1], o, "."); print o[1] "." o[2] "." o[3] ".1"; exit }')
ip route replace default via "$gw" dev eth0 metric 100`;

/** What each host is made to be before the comparisons (h1 only gets the default route). */
const ODD_STATES: Readonly<Record<string, string>> = {
  h2: `grep -v "[[:space:]]$(cat /proc/sys/kernel/hostname)\\$" /etc/hosts > /tmp/hosts && cat /tmp/hosts > /etc/hosts
sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1`,
  h3: `ip route add default metric 1 nexthop via "$gw" dev eth0 weight 1 nexthop via "$gw" dev eth0 weight 2`,
  h4: `{ echo '# a comment'; cat /etc/passwd; echo '+::::::'; } > /tmp/passwd && cat /tmp/passwd > /etc/passwd
h=$(cat /proc/sys/kernel/hostname); sed -i "1i 10.255.0.1 UPPER.$h" /etc/hosts`,
  h5: `sed -i '/^hosts:/s/files/files [SUCCESS=merge]/' /etc/nsswitch.conf`,
};

const TREE = "/tmp/levers";
const MAKE_TREE = `rm -rf ${TREE} && mkdir -p ${TREE}/dir && cd ${TREE} && printf 'content\\n' > file && : > empty
printf 'spaces' > 'name with spaces' && printf 'nl' > 'new
line' && printf 'no newline at end' > tail
ln -s file link && ln -s nowhere dangling && ln -s 'target
with newline' odd-link && ln -s 'name with spaces' 'link with spaces' && ln -s dir dir-link
ln -s "$(printf 'back\\\\slash\\ttab \\303\\251 -> x\\377')" escaped-link
groupadd -f leversgrp && { id leversusr >/dev/null 2>&1 || useradd -M -g leversgrp -G leversgrp leversusr; }`;

const NAMES = ["file", "empty", "dir", "name with spaces", "new\nline", "tail", "link", "dangling", "odd-link", "link with spaces", "dir-link", "escaped-link", "absent", "dir/absent/deeper"];

function probes(): Probe[] {
  const paths = NAMES.map((name) => `${TREE}/${name}`);
  return [
    { argv: factsCommand() },
    ...paths.flatMap((path) => [fileStateProbe(path), fileStateProbe(path, true), fileStateProbe(path, true, true)]),
    ...paths.map((path) => readFileProbe(path)),
    ...["root", "leversusr", "no-such-user"].flatMap((user) => [
      { argv: ["getent", "passwd", user] },
      { argv: ["id", "-gn", "--", user] },
      { argv: ["id", "-Gn", "--", user] },
    ]),
    ...["root", "leversgrp", "no-such-group"].map((group) => ({ argv: ["getent", "group", group] })),
    { argv: shScript('echo "$1"; exit 3', "a probe of its own") },
  ];
}

describe.skipIf(labUnavailableReason() !== undefined)(`host-side levers on ${HOSTS} lab hosts`, () => {
  let lab: LabInfo;
  const transports: Transport[] = [];
  beforeAll(async () => {
    lab = await labUp({ name: LAB, hosts: HOSTS });
    for (const host of lab.hosts) {
      const transport = new SshTransport({
        host: host.name,
        address: host.address,
        port: 22,
        user: "root",
        privateKeyFile: lab.keyFile,
        agent: "",
        knownHostsFile: lab.knownHostsFile,
        hostKeyChecking: "strict",
        connectTimeoutMs: 20_000,
      });
      transports.push(transport);
      const setup = await transport.run(["sh", "-c", `set -e\n${MAKE_TREE}\n${DEFAULT_ROUTE}\n${ODD_STATES[host.name] ?? ":"}`]);
      expect(setup.stderr).toBe("");
      expect(setup.rc).toBe(0);
    }
  }, 600_000);
  afterAll(async () => {
    await Promise.all(transports.map((transport) => transport.close()));
    await labDown(LAB);
  }, 300_000);

  it("gathers the same facts with every lever on as with every lever off", async () => {
    for (const transport of transports) {
      const [on, off] = await Promise.all([ALL_ON, ALL_OFF].map(async (levers) => {
        const result = await transport.run(["sh", "-c", factsScript(levers)]);
        expect(result.rc).toBe(0);
        return parseFacts(result.stdout);
      }));
      expect(on, transport.host).toEqual(off);
    }
  }, 120_000);

  it("answers from the files where it can, and leaves the rest to the commands", async () => {
    const answers = async (host: string): Promise<[number, number]> => {
      const transport = transports.find((each) => each.host === host) as Transport;
      const result = await transport.run(["sh", "-c", `${NSS_FUNCTIONS}\n${FQDN_FUNCTION}\n${USER_FUNCTION}\n__rb_fqdn >/dev/null; f=$?; __rb_user >/dev/null; echo "$f $?"`]);
      const [fqdn, user] = result.stdout.trim().split(" ").map(Number);
      return [fqdn as number, user as number];
    };
    expect(await answers("h1")).toEqual([0, 0]);
    // h2: no line for the host; h4: a comment before root's line and an upper-case name before the host's; h5: an action after files
    expect(await answers("h2")).toEqual([1, 0]);
    expect(await answers("h4")).toEqual([1, 1]);
    expect(await answers("h5")).toEqual([1, 0]);
  }, 60_000);

  it("gives every probe of a batch what it gets on its own", async () => {
    const list = probes();
    for (const transport of transports) {
      const alone = [];
      for (const probe of list) alone.push(await transport.run(probe.argv));
      expect(await runProbes(transport, list, undefined), transport.host).toEqual(alone);
    }
  }, 300_000);
});
