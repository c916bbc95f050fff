import { describe, expect, it } from "vitest";
import { mount } from "../../../src/modules/mount.js";
import { escapeFstab, removeFstabEntry, setFstabEntry } from "../../../src/modules/support/fstab.js";
import { absent, ok, present, rc, runGolden } from "./helpers.js";

const entry = { src: "/dev/vdb1", path: "/srv/data", fstype: "ext4", opts: "noatime", dump: "0", passno: "2" };

describe("fstab edits", () => {
  it("escapes space, ampersand and backslash", () => {
    expect(escapeFstab("//nas/a&b c\\d")).toBe("//nas/a\\046b\\040c\\134d");
  });

  it("appends a missing entry and keeps comments and other lines", () => {
    expect(setFstabEntry("# static\nUUID=1 / ext4 defaults 0 1\n", entry)).toEqual({ text: "# static\nUUID=1 / ext4 defaults 0 1\n/dev/vdb1 /srv/data ext4 noatime 0 2\n", changed: true });
  });

  it("leaves an equal entry byte for byte, however it is spaced", () => {
    const text = "/dev/vdb1\t/srv/data  ext4 noatime 0 2";
    expect(setFstabEntry(text, entry)).toEqual({ text, changed: false });
  });

  it("rewrites a differing entry and always a 4-field one", () => {
    expect(setFstabEntry("/dev/vdb1 /srv/data ext4 defaults 0 2\n", entry).text).toBe("/dev/vdb1 /srv/data ext4 noatime 0 2\n");
    expect(setFstabEntry("/dev/vdb1 /srv/data ext4 noatime\n", { ...entry, passno: "0" })).toEqual({ text: "/dev/vdb1 /srv/data ext4 noatime 0 0\n", changed: true });
  });

  it("removes only 6-field lines for the mount point", () => {
    expect(removeFstabEntry("a /srv/data ext4 d 0 0\nb /srv/data ext4 d\nc /srv/other ext4 d 0 0\n", "/srv/data", undefined)).toEqual({ text: "b /srv/data ext4 d\nc /srv/other ext4 d 0 0\n", changed: true });
  });
});

const notMounted = rc(1);
const fstab = (text: string) => [present({ content: text }), ok(text)];

describe("mount module", () => {
  it("mounted: makes the directory, adds the entry, mounts with the given fstab", () => {
    runGolden(mount, {
      name: "mounted",
      args: { path: "/srv/data", src: "/dev/vdb1", fstype: "ext4", opts: "noatime", passno: 2, state: "mounted", fstab: "/tmp/fstab" },
      probes: [...fstab(""), notMounted, absent()],
      expect: { steps: [{ put: "/tmp/fstab", content: "/dev/vdb1 /srv/data ext4 noatime 0 2\n", owner: "root", group: "root" }, ["mkdir", "-p", "--", "/srv/data"], ["mount", "-T", "/tmp/fstab", "--", "/srv/data"]] },
    });
  });

  it("mounted and listed: nothing to do", () => {
    runGolden(mount, {
      name: "as wanted",
      args: { path: "/srv/data", src: "/dev/vdb1", fstype: "ext4", opts: "noatime", passno: "2", state: "mounted" },
      probes: [...fstab("/dev/vdb1 /srv/data ext4 noatime 0 2\n"), ok("/srv/data\n"), present({ kind: "directory" })],
      expect: { changed: false, steps: [] },
    });
  });

  it("absent: removes the entry, unmounts, removes the mount point", () => {
    runGolden(mount, {
      name: "absent",
      args: { path: "/srv/data", state: "absent" },
      probes: [...fstab("/dev/vdb1 /srv/data ext4 noatime 0 2\n"), ok("/srv/data\n"), present({ kind: "directory" })],
      expect: { steps: [{ put: "/etc/fstab", content: "", owner: "root", group: "root" }, ["umount", "--", "/srv/data"], ["rmdir", "--", "/srv/data"]] },
    });
  });

  it("a findmnt that cannot answer fails the task", () => {
    runGolden(mount, { name: "no findmnt", args: { path: "/srv/data", state: "unmounted" }, probes: [rc(127, "", "findmnt: not found"), absent()], expect: { failed: /findmnt failed/ } });
  });

  it("present needs src and fstype, at run time as in Ansible", () => {
    runGolden(mount, { name: "no src", args: { path: "/srv/data", fstype: "ext4", state: "present" }, probes: [...fstab(""), notMounted, absent()], expect: { failed: /missing: src/ } });
  });
});
