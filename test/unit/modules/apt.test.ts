import { describe, expect, it } from "vitest";
import { aptKeyModule, parseKeyId, parseKeyIds } from "../../../src/modules/apt-key.js";
import { aptRepository } from "../../../src/modules/apt-repository.js";
import { addSource, dumpSources, loadSources, parseSourceLine, removeSource, sourceFile } from "../../../src/modules/support/apt-sources.js";
import { parseFileSnapshot } from "../../../src/modules/support/file-snapshot.js";
import { ok, rc, runGolden } from "./helpers.js";

const snapshot = (files: Record<string, string>) => ok(Object.entries(files).map(([path, text]) => `\0==> ${path}\n${text}`).join(""));

describe("apt sources", () => {
  it("parses lines as Ansible does: disabled, comments, collapsed whitespace", () => {
    expect(parseSourceLine("deb   http://a/  bookworm main # mirror\n")).toEqual({ valid: true, enabled: true, source: "deb http://a/ bookworm main", comment: "mirror" });
    expect(parseSourceLine("#deb http://a/ bookworm main")).toMatchObject({ valid: true, enabled: false });
    expect(parseSourceLine("# just a note")).toMatchObject({ valid: false });
  });

  it("names a new file after the repository's host and path", () => {
    expect(sourceFile("deb [arch=amd64] https://user:pw@download.docker.com/linux/debian bookworm stable", undefined, "/d")).toBe("/d/download_docker_com_linux_debian.list");
    expect(sourceFile("deb http://a/ x", "docker", "/d")).toBe("/d/docker.list");
  });

  it("enables a disabled copy instead of adding one, and removes enabled copies", () => {
    const sources = loadSources(new Map([["/s.list", "# deb http://a/ x main\n"]]));
    expect(addSource(sources, "deb http://a/ x main", "/new.list")).toBeUndefined();
    expect(dumpSources(sources).get("/s.list")).toBe("deb http://a/ x main\n");
    removeSource(sources, "deb http://a/ x main");
    expect(dumpSources(sources).has("/s.list")).toBe(false);
  });

  it("reads a snapshot of files, with or without final newlines", () => {
    expect([...parseFileSnapshot(snapshot({ "/a": "x", "/b": "y\n" }))]).toEqual([["/a", "x"], ["/b", "y\n"]]);
    expect(() => parseFileSnapshot(rc(2, "", "sh: boom"))).toThrow(/could not read/);
  });
});

describe("apt_repository", () => {
  it("adds a new file with mode 0644, then apt-get update", () => {
    runGolden(aptRepository, {
      name: "new",
      args: { repo: "deb http://a/ bookworm main", filename: "a" },
      probes: [snapshot({ "/etc/apt/sources.list": "deb http://deb.debian.org/debian bookworm main\n" })],
      expect: { steps: [{ put: "/etc/apt/sources.list.d/a.list", content: "deb http://a/ bookworm main\n", mode: "0644" }, ["apt-get", "update", "-q"]] },
    });
  });

  it("is ok when the line is there, whatever its spacing; removal deletes an emptied file", () => {
    const probes = [snapshot({ "/etc/apt/sources.list.d/a.list": "deb  http://a/ bookworm main\n" })];
    runGolden(aptRepository, { name: "there", args: { repo: "deb http://a/ bookworm main" }, probes, expect: { steps: [] } });
    runGolden(aptRepository, { name: "remove", args: { repo: "deb http://a/ bookworm main", state: "absent", update_cache: false }, probes, expect: { steps: [["rm", "-f", "--", "/etc/apt/sources.list.d/a.list"]] } });
  });
});

describe("apt_key", () => {
  it("reads key ids from listings and colon records, not expired ones", () => {
    expect(parseKeyIds("pub   rsa4096/8D81803C0EBFCD88 2017-02-22 [SCEA]\nuid x\nsub   rsa4096/7EA0A9C3F273FCD8 2017-02-22 [S]\npub rsa1024/0000000000000001 2000-01-01 [expired]\n")).toEqual(["8D81803C0EBFCD88", "7EA0A9C3F273FCD8"]);
    expect(parseKeyIds("pub:-:255:22:19B231CA0EAB3B57:1796319819:::-:\n")).toEqual(["19B231CA0EAB3B57"]);
  });

  it("takes 8, 16 or more hex digits", () => {
    expect(parseKeyId("0x0ebfcd88")).toEqual({ short: "0EBFCD88", fingerprint: "0EBFCD88", full: "0EBFCD88" });
    expect(parseKeyId("9DC858229FC7DD38854AE2D88D81803C0EBFCD88")?.fingerprint).toBe("8D81803C0EBFCD88");
    expect(parseKeyId("12345")).toBeUndefined();
  });

  it("adds a key file the keyring lacks, keeps one it has", () => {
    const args = { file: "/tmp/k.asc", keyring: "/etc/apt/keyrings/k.gpg" };
    const id = ok("pub:-:255:22:19B231CA0EAB3B57:1:::-:\n");
    runGolden(aptKeyModule, { name: "add", args, probes: [ok(""), id], expect: { steps: [["apt-key", "--keyring", "/etc/apt/keyrings/k.gpg", "add", "/tmp/k.asc"]] } });
    runGolden(aptKeyModule, { name: "has", args, probes: [ok("pub   ed25519/19B231CA0EAB3B57 2026-12-03 [SC]\n"), id], expect: { steps: [] } });
  });

  it("removes by short id", () => {
    runGolden(aptKeyModule, { name: "del", args: { id: "19B231CA0EAB3B57", state: "absent" }, probes: [ok("pub   ed25519/19B231CA0EAB3B57 2026-12-03 [SC]\n")], expect: { steps: [["apt-key", "del", "0EAB3B57"]] } });
  });
});
