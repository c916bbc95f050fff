import { describe, expect, it } from "vitest";
import { archiveKind, memberDiffers, modeBits, parseTarListing, parseZipListing } from "../../../src/modules/support/archive.js";
import { parseSourceState, splitChecksum } from "../../../src/modules/support/download.js";
import { parseFileBytes } from "../../../src/modules/support/file-bytes.js";
import { parseUriAnswer, uri } from "../../../src/modules/uri.js";
import { unarchive } from "../../../src/modules/unarchive.js";
import { ok, runGolden, stepsOf } from "./helpers.js";

describe("archive listings", () => {
  it("reads tar -tv --full-time --numeric-owner, links and special bits included", () => {
    const members = parseTarListing([
      "drwxr-xr-x 0/0               0 2024-01-01 00:00:00 app/",
      "-rwsr-x--- 1000/50          19 2024-01-01 00:00:01 app/run me.sh",
      "lrwxrwxrwx 0/0               0 2024-01-01 00:00:00 app/link -> run me.sh",
    ].join("\n"));
    expect(members).toEqual([
      { name: "app/", kind: "directory", mode: "0755", uid: 0, gid: 0, mtime: 1704067200 },
      { name: "app/run me.sh", kind: "file", mode: "4750", uid: 1000, gid: 50, mtime: 1704067201 },
      { name: "app/link", kind: "link", mode: "0777", uid: 0, gid: 0, mtime: 1704067200 },
    ]);
  });
  it("reads unzip -Z -T and skips its header and footer", () => {
    const text = "Archive:  a.zip\nZip file size: 426 bytes, number of entries: 1\n-rw-r--r--  3.0 unx        5 t- stor 20240101.000000 app/conf.txt\n1 file, 5 bytes uncompressed\n";
    expect(parseZipListing(text)).toEqual([{ name: "app/conf.txt", kind: "file", mode: "0644", mtime: 1704067200 }]);
  });
  it("tells the kind from the first bytes", () => {
    expect([archiveKind("1f8b0800"), archiveKind("fd377a585a00"), archiveKind("504b0304"), archiveKind("617070")]).toEqual(["gzip", "xz", "zip", "tar"]);
    expect(modeBits("rwxrwxrwt")).toBe("1777");
  });
  it("counts what Ansible counts: missing, mode, owner ids, mtime; not a link's target", () => {
    const file = { name: "f", kind: "file" as const, mode: "0644", uid: 0, gid: 0, mtime: 5 };
    const same = { exists: true as const, kind: "file" as const, mode: "644", uid: 0, gid: 0, mtime: 5 };
    expect(memberDiffers(file, same, {})).toBe(false);
    expect(memberDiffers(file, { ...same, mtime: 6 }, {})).toBe(true);
    expect(memberDiffers(file, { ...same, mode: "600" }, {})).toBe(true);
    expect(memberDiffers(file, { ...same, mode: "600" }, { mode: "0600" })).toBe(false);
    expect(memberDiffers(file, { exists: false }, {})).toBe(true);
  });
});

describe("downloads and requests", () => {
  it("reads the download probe's answers", () => {
    expect(parseSourceState(0, "missing 200\n", "", "http://x/a")).toEqual({ kind: "missing-dest", status: 200, dirExists: true });
    expect(parseSourceState(0, "missing 000 nodir\n", "", "file:///a")).toEqual({ kind: "missing-dest", status: 200, dirExists: false });
    expect(parseSourceState(0, "fetched 304 e3b0  -\n", "", "http://x/a")).toEqual({ kind: "not-modified" });
    expect(parseSourceState(90, "", "curl: (7) refused", "http://x/a")).toEqual({ kind: "error", message: "curl: (7) refused" });
    expect(splitChecksum("SHA256:AB-cd")).toEqual(["sha256", "abcd"]);
  });
  it("reads curl's status, headers and body", () => {
    const answer = parseUriAnswer(`status 200 http://x/a\nH HTTP/1.1 200 OK\nH Content-Type: application/json\n\nbody\n${Buffer.from('{"a":1}').toString("base64")}`);
    expect(answer).toEqual({ status: 200, url: "http://x/a", headers: { content_type: "application/json" }, body: Buffer.from('{"a":1}') });
  });
  it("reads a file's bytes, and absence as a value", () => {
    expect(parseFileBytes(`file\n${Buffer.from("a\0b").toString("base64")}`, 0, "")).toEqual({ kind: "file", bytes: Buffer.from("a\0b") });
    expect(parseFileBytes("absent\n", 0, "")).toEqual({ kind: "absent" });
  });
});

describe("skipped by the module, as Ansible's", () => {
  it("uri: a POST is not sent in --check", () => {
    const args = { url: "http://127.0.0.1/x", method: "POST" };
    runGolden(uri, { name: "post check", args, context: { check: true }, expect: { skipped: true, steps: [], msg: /not sent in check mode/ } });
    runGolden(uri, { name: "post run", args, expect: { skipped: false } });
  });

  it("unarchive: creates exists", () => {
    const args = { src: "/srv/a.tar.gz", dest: "/opt", remote_src: true, creates: "/opt/app" };
    const plan = runGolden(unarchive, { name: "creates", args, facts: { archive: ok(""), creates: ok("directory|755|root|root|0|0|4096|12") }, expect: { skipped: true, msg: "skipped, since /opt/app exists" } });
    expect(stepsOf(plan)).toEqual([]);
  });
});
