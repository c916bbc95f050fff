import { describe, expect, it } from "vitest";
import { group } from "../../../src/modules/group.js";
import { user } from "../../../src/modules/user.js";
import { effectsOf, ok, planAfter, rc, runGolden, type GoldenCase } from "./helpers.js";
import type { ProbeResult } from "../../../src/modules/types.js";
import { describeSchemaCases } from "./schema-cases.js";

const deploy = [ok("deploy:x:1001:1001::/home/deploy:/bin/bash\n"), ok("deploy\n"), ok("deploy sudo docker\n"), ok("present\n")];
const missing = [rc(2), rc(1, "", "id: 'deploy': no such user\n"), rc(1), ok("absent\n")];
const homeless = [ok("deploy:x:1001:1001:Old:/home/deploy:/bin/bash\n"), ok("deploy\n"), ok("deploy\n"), ok("absent\n")];

const userCases: GoldenCase[] = [
  { name: "as wanted", args: { name: "deploy", shell: "/bin/bash", groups: ["sudo", "docker"] }, probes: deploy, expect: { steps: [], probeCount: 4 } },
  {
    name: "create",
    args: { name: "deploy", uid: 1001, groups: "sudo,docker", shell: "/bin/bash", system: false },
    probes: missing,
    expect: { steps: [["useradd", "-u", "1001", "-G", "sudo,docker", "-s", "/bin/bash", "-m", "--", "deploy"]] },
  },
  { name: "create a system user without home", args: { name: "svc", system: true, create_home: false }, probes: missing.slice(0, 3), expect: { steps: [["useradd", "-M", "-r", "--", "svc"]], probeCount: 3 } },
  {
    name: "create with comment, home, locked password hash, a shared uid",
    args: { name: "deploy", uid: 0, non_unique: true, comment: "Deploy, Inc.", home: "/srv/deploy", password: "$6$x", password_lock: true },
    probes: [...missing.slice(0, 3), rc(2), ok("absent\n")],
    expect: { steps: [["mkdir", "-p", "--", "/srv"], ["useradd", "-u", "0", "-o", "-c", "Deploy, Inc.", "-d", "/srv/deploy", "-p", "!$6$x", "-m", "--", "deploy"]] },
  },
  {
    name: "existing account without its home: comment changed and the home made",
    args: { name: "deploy", comment: "New" },
    probes: homeless,
    expect: {
      steps: [["usermod", "-c", "New", "--", "deploy"], expect.arrayContaining(["sh", "-c", "/home/deploy", "deploy"])],
      effects: [expect.objectContaining({ subject: "user:deploy" }), { kind: "path", path: "/home/deploy", after: { exists: true, kind: "directory", owner: "deploy" } }],
    },
  },
  { name: "create_home false leaves a missing home", args: { name: "deploy", create_home: false }, probes: homeless.slice(0, 3), expect: { steps: [], probeCount: 3 } },
  { name: "a new home, moved", args: { name: "deploy", home: "/srv/d", move_home: true }, probes: [...deploy.slice(0, 3), ok("absent\n")], expect: { steps: [["usermod", "-d", "/srv/d", "-m", "--", "deploy"], expect.arrayContaining(["sh", "/srv/d", "deploy"])] } },
  { name: "password differs", args: { name: "deploy", password: "$6$new" }, probes: [...deploy.slice(0, 3), ok("deploy:$6$old:19000:0:99999:7:::\n"), ok("present\n")], expect: { steps: [["usermod", "-p", "$6$new", "--", "deploy"]] } },
  { name: "password the same but locked: nothing", args: { name: "deploy", password: "$6$old" }, probes: [...deploy.slice(0, 3), ok("deploy:!$6$old:19000::::::\n"), ok("present\n")], expect: { steps: [] } },
  { name: "lock", args: { name: "deploy", password_lock: true }, probes: [...deploy.slice(0, 3), ok("deploy:$6$old:19000::::::\n"), ok("present\n")], expect: { steps: [["usermod", "-L", "--", "deploy"]] } },
  { name: "on_create leaves the password of an existing account", args: { name: "deploy", password: "$6$new", update_password: "on_create" }, probes: [...deploy.slice(0, 3), ok("deploy:$6$old:19000::::::\n"), ok("present\n")], expect: { steps: [] } },
  { name: "shell differs", args: { name: "deploy", shell: "/bin/sh" }, probes: deploy, expect: { steps: [["usermod", "-s", "/bin/sh", "--", "deploy"]] } },
  { name: "append a group", args: { name: "deploy", groups: ["adm"], append: true }, probes: deploy, expect: { steps: [["usermod", "-a", "-G", "adm", "--", "deploy"]] } },
  { name: "append an existing group: nothing", args: { name: "deploy", groups: ["sudo"], append: true }, probes: deploy, expect: { steps: [] } },
  { name: "exact groups", args: { name: "deploy", groups: ["sudo"] }, probes: deploy, expect: { steps: [["usermod", "-G", "sudo", "--", "deploy"]] } },
  { name: "uid given as a digit string (from a template)", args: { name: "deploy", uid: "1002" }, probes: deploy, expect: { steps: [["usermod", "-u", "1002", "--", "deploy"]] } },
  { name: "primary group by gid matches", args: { name: "deploy", group: "1001" }, probes: deploy, expect: { steps: [] } },
  { name: "remove", args: { name: "deploy", state: "absent", remove: true }, probes: deploy, expect: { steps: [["userdel", "-r", "--", "deploy"]] } },
  { name: "remove a missing user", args: { name: "deploy", state: "absent" }, probes: missing, expect: { steps: [] } },
];

describe("user", () => {
  it.each(userCases)("$name", (golden) => {
    runGolden(user, golden);
  });
});

describe("group", () => {
  it.each<GoldenCase>([
    { name: "exists", args: { name: "ops", gid: 2000 }, probes: [ok("ops:x:2000:alice,bob\n")], expect: { steps: [] } },
    { name: "create", args: { name: "ops", gid: 2000, system: true }, probes: [rc(2)], expect: { steps: [["groupadd", "-g", "2000", "-r", "--", "ops"]] } },
    { name: "gid differs", args: { name: "ops", gid: 2001 }, probes: [ok("ops:x:2000:\n")], expect: { steps: [["groupmod", "-g", "2001", "--", "ops"]] } },
    { name: "create with a gid another group has", args: { name: "ops", gid: 2000, non_unique: true }, probes: [rc(2)], expect: { steps: [["groupadd", "-g", "2000", "-o", "--", "ops"]] } },
    { name: "remove", args: { name: "ops", state: "absent" }, probes: [ok("ops:x:2000:\n")], expect: { steps: [["groupdel", "--", "ops"]] } },
  ])("$name", (golden) => {
    runGolden(group, golden);
  });
});

describe("accounts in check mode", () => {
  const byName = (probes: readonly ProbeResult[]) => ({ passwd: probes[0] ?? rc(1), primary: probes[1] ?? rc(1), groups: probes[2] ?? rc(1), homeExists: probes[3] ?? rc(1) });

  it("a created user is as wanted the second time; what useradd makes at home is unknown", () => {
    const args = { name: "etcd", system: true, home: "/var/lib/etcd", shell: "/usr/sbin/nologin" };
    const created = runGolden(user, { name: "create", args, probes: missing, expect: { effects: [{ kind: "thing", subject: "user:etcd", after: { uid: undefined, comment: undefined, home: "/var/lib/etcd", shell: "/usr/sbin/nologin", password: undefined, primary: undefined, groups: [] } }, { kind: "path", path: "/var/lib/etcd", after: { exists: true, kind: "directory", owner: "etcd" } }, { kind: "unknown", what: "the home directory useradd makes for etcd" }] } });
    expect(planAfter(user, args, effectsOf(created), byName(missing))).toMatchObject({ kind: "ok" });
    // a uid useradd would pick cannot be compared
    expect(planAfter(user, { ...args, uid: 900 }, effectsOf(created), byName(missing))).toMatchObject({ kind: "unknown" });
  });

  it("a modified user keeps its groups as predicted", () => {
    const appended = runGolden(user, { name: "append", args: { name: "deploy", groups: ["adm"], append: true }, probes: deploy, expect: { changed: true } });
    expect(planAfter(user, { name: "deploy", groups: ["sudo", "docker", "adm"] }, effectsOf(appended), byName(deploy))).toMatchObject({ kind: "ok" });
  });

  it("a group made with its gid is as wanted the second time, and a removed one is gone", () => {
    const made = runGolden(group, { name: "create", args: { name: "ops", gid: 2000 }, probes: [rc(2)], expect: { effects: [{ kind: "thing", subject: "group:ops", after: { gid: 2000 } }] } });
    expect(planAfter(group, { name: "ops", gid: 2000 }, effectsOf(made), { entry: rc(2) })).toMatchObject({ kind: "ok" });
    const removed = runGolden(group, { name: "remove", args: { name: "ops", state: "absent" }, probes: [ok("ops:x:2000:\n")], expect: { changed: true } });
    expect(planAfter(group, { name: "ops", state: "absent" }, effectsOf(removed), { entry: ok("ops:x:2000:\n") })).toMatchObject({ kind: "ok" });
  });

  it("getent that cannot answer fails", () => {
    runGolden(group, { name: "no getent", args: { name: "ops" }, probes: [rc(127, "", "sh: getent: not found")], expect: { failed: "getent group failed: sh: getent: not found" } });
  });
});

describeSchemaCases("user", [
  { name: "unknown argument", args: { name: "a", shel: "/bin/sh" }, issues: [{ path: ["shel"], message: /unknown argument/, hint: /did you mean 'shell'/ }] },
  { name: "missing name", args: {}, issues: [{ path: ["name"], message: /missing required argument 'name'/ }] },
  { name: "wrong type", args: { name: "a", uid: "x" }, issues: [{ path: ["uid"], message: /got string 'x'/ }] },
]);

describeSchemaCases("group", [
  { name: "unknown argument", args: { name: "a", gidd: 1 }, issues: [{ path: ["gidd"], message: /unknown argument/, hint: /did you mean 'gid'/ }] },
  { name: "missing name", args: {}, issues: [{ path: ["name"], message: /missing required argument 'name'/ }] },
]);
