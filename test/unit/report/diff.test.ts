import { Chalk } from "chalk";
import { describe, expect, it } from "vitest";
import { formatDiff } from "../../../src/report/diff.js";

const plain = new Chalk({ level: 0 });

describe("--diff output", () => {
  it.each([
    [
      "a changed line",
      { path: "/etc/app.conf", before: "a\nb\nc\n", after: "a\nB\nc\n" },
      "--- web1:/etc/app.conf (before)\n+++ web1:/etc/app.conf (after)\n@@ -1,3 +1,3 @@\n a\n-b\n+B\n c",
    ],
    [
      "a new file",
      { path: "/etc/new", before: "", after: "x\n" },
      "--- web1:/etc/new (before)\n+++ web1:/etc/new (after)\n@@ -0,0 +1,1 @@\n+x",
    ],
    [
      "a missing final newline",
      { path: "/f", before: "x", after: "x\n" },
      "--- web1:/f (before)\n+++ web1:/f (after)\n@@ -1,1 +1,1 @@\n-x\n\\ No newline at end of file\n+x",
    ],
  ])("%s: a unified diff headed with host:path", (_what, diff, expected) => {
    expect(formatDiff("web1", diff, plain)).toBe(expected);
  });

  it("keeps 3 lines of context around a change", () => {
    const before = "1\n2\n3\n4\n5\n6\n7\n8\n9\n";
    const after = before.replace("5", "five");
    const hunk = formatDiff("h", { path: "/n", before, after }, plain).split("\n").slice(2);
    expect(hunk).toEqual(["@@ -2,7 +2,7 @@", " 2", " 3", " 4", "-5", "+five", " 6", " 7", " 8"]);
  });

  it("colours added lines green and removed lines red on a terminal", () => {
    const text = formatDiff("h", { path: "/p", before: "a\n", after: "b\n" }, new Chalk({ level: 1 }));
    expect(text).toContain("\u001b[31m-a\u001b[39m");
    expect(text).toContain("\u001b[32m+b\u001b[39m");
  });
});
