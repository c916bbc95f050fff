import { describe, expect, it } from "vitest";
import { fetch, fetchDestination } from "../../../src/modules/fetch.js";
import { absent, present, runGolden, sha } from "./helpers.js";

const host = { vars: { inventory_hostname: "web1" } };

describe("fetch", () => {
  it("names the controller file as Ansible: DEST/HOSTNAME/SRC, or dest itself with flat", () => {
    const ctx = { controllerPath: (path: string) => (path.startsWith("/") ? path : `/playbook/${path}`) };
    expect(fetchDestination({ src: "/etc/hosts", dest: "backup", flat: false }, "web1", ctx)).toBe("/playbook/backup/web1/etc/hosts");
    expect(fetchDestination({ src: "/etc/hosts", dest: "/srv/b/", flat: false }, "web1", ctx)).toBe("/srv/b/web1/etc/hosts");
    expect(fetchDestination({ src: "/etc/hosts", dest: "/srv/b/", flat: true }, "web1", ctx)).toBe("/srv/b/hosts");
    expect(fetchDestination({ src: "/etc/hosts", dest: "out/hosts.web1", flat: true }, "web1", ctx)).toBe("/playbook/out/hosts.web1");
  });

  it("a missing controller file: one fetch step, its checksum to validate, no effect on the host", () => {
    runGolden(fetch, {
      name: "new",
      args: { src: "/etc/hosts", dest: "/srv/b" },
      context: host,
      probes: [present({ content: "127.0.0.1 localhost\n" })],
      expect: { changed: true, probeCount: 1, steps: [{ fetch: "/etc/hosts", dest: "/srv/b/web1/etc/hosts", sha256: sha("127.0.0.1 localhost\n") }], effects: [], data: { dest: "/srv/b/web1/etc/hosts" } },
    });
  });

  it("the same bytes on the controller: nothing to do; other bytes: fetched again", () => {
    const context = { ...host, controllerFiles: { "/srv/hosts": "a\n" } };
    runGolden(fetch, { name: "same", args: { src: "/etc/hosts", dest: "/srv/hosts", flat: true }, context, probes: [present({ content: "a\n" })], expect: { changed: false, steps: [] } });
    runGolden(fetch, { name: "differs", args: { src: "/etc/hosts", dest: "/srv/hosts", flat: true, validate_checksum: false }, context, probes: [present({ content: "b\n" })], expect: { steps: [{ fetch: "/etc/hosts", dest: "/srv/hosts" }] } });
  });

  it("a missing source fails unless fail_on_missing is false; a directory fails", () => {
    runGolden(fetch, { name: "missing", args: { src: "/nope", dest: "/b" }, context: host, probes: [absent()], expect: { failed: /the remote file does not exist/ } });
    runGolden(fetch, { name: "missing ok", args: { src: "/nope", dest: "/b", fail_on_missing: "no" }, context: host, probes: [absent()], expect: { changed: false, msg: /not transferring, ignored/ } });
    runGolden(fetch, { name: "directory", args: { src: "/etc", dest: "/b" }, context: host, probes: [present({ kind: "directory" })], expect: { failed: /is a directory/ } });
  });
});
