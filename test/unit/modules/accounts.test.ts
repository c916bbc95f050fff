import { describe, it } from "vitest";
import { group } from "../../../src/modules/group.js";
import { user } from "../../../src/modules/user.js";
import { ok, rc, runGolden, type GoldenCase } from "./helpers.js";
import { describeSchemaCases } from "./schema-cases.js";

const deploy = [ok("deploy:x:1001:1001::/home/deploy:/bin/bash\n"), ok("deploy\n"), ok("deploy sudo docker\n")];
const missing = [rc(2), rc(1, "", "id: 'deploy': no such user\n"), rc(1)];

const userCases: GoldenCase[] = [
  { name: "as wanted", args: { name: "deploy", shell: "/bin/bash", groups: ["sudo", "docker"] }, probes: deploy, expect: { steps: [], probeCount: 3 } },
  {
    name: "create",
    args: { name: "deploy", uid: 1001, groups: "sudo,docker", shell: "/bin/bash", system: false },
    probes: missing,
    expect: { steps: [["useradd", "-u", "1001", "-G", "sudo,docker", "-s", "/bin/bash", "-m", "--", "deploy"]] },
  },
  { name: "create a system user without home", args: { name: "svc", system: true, create_home: false }, probes: missing, expect: { steps: [["useradd", "-M", "-r", "--", "svc"]] } },
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
    { name: "remove", args: { name: "ops", state: "absent" }, probes: [ok("ops:x:2000:\n")], expect: { steps: [["groupdel", "--", "ops"]] } },
  ])("$name", (golden) => {
    runGolden(group, golden);
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
