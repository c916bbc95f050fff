import { describe, expect, it } from "vitest";
import { Predictions } from "../../../src/executor/predictions.js";
import type { PathAfter } from "../../../src/modules/types.js";

const dir: PathAfter = { exists: true, kind: "directory" };
const file = (text: string): PathAfter => ({ exists: true, kind: "file", content: Buffer.from(text) });

describe("check mode's predictions", () => {
  it("answers nothing for what no change touched: the host's real state stands", () => {
    const predictions = new Predictions();
    expect(predictions.lookup("path:/srv/x")).toBeUndefined();
    expect(predictions.lookup("link:br0")).toBeUndefined();
    expect(predictions.uncertain).toBeUndefined();
  });

  it("a removed directory takes what is below it, also what was predicted there before", () => {
    const predictions = new Predictions();
    predictions.record([{ kind: "path", path: "/srv/li/settings", after: file("a\n") }], "lineinfile");
    predictions.record([{ kind: "path", path: "/srv/li/", after: { exists: false } }], "file");
    expect(predictions.lookup("path:/srv/li")?.after).toEqual({ exists: false });
    expect(predictions.lookup("path:/srv/li/settings")?.after).toEqual({ exists: false });
    expect(predictions.lookup("path:/srv/li/other/deep")?.after).toEqual({ exists: false });
    expect(predictions.lookup("path:/srv")).toBeUndefined();
  });

  it("a directory made again after its removal is empty: what the host has below it is gone", () => {
    const predictions = new Predictions();
    predictions.record([{ kind: "path", path: "/srv/li", after: { exists: false } }], "file");
    predictions.record([{ kind: "path", path: "/srv/li", after: dir }], "file");
    expect(predictions.lookup("path:/srv/li")?.after).toEqual(dir);
    expect(predictions.lookup("path:/srv/li/settings")?.after).toEqual({ exists: false });
    predictions.record([{ kind: "path", path: "/srv/li/settings", after: file("level = one\n") }], "lineinfile");
    expect(predictions.lookup("path:/srv/li/settings")?.after).toEqual(file("level = one\n"));
  });

  it("a directory made where nothing was predicted leaves the host's children to the host", () => {
    const predictions = new Predictions();
    predictions.record([{ kind: "path", path: "/etc/app", after: dir }], "file");
    expect(predictions.lookup("path:/etc/app/app.conf")).toBeUndefined();
  });

  it("a predicted path's parents exist, as directories", () => {
    const predictions = new Predictions();
    predictions.record([{ kind: "path", path: "/a/b/c", after: file("x") }], "copy");
    expect(predictions.lookup("path:/a/b")?.after).toEqual(dir);
    expect(predictions.lookup("path:/a")?.after).toEqual(dir);
  });

  it("things are looked up by their exact subject", () => {
    const predictions = new Predictions();
    predictions.record([{ kind: "thing", subject: "link:br-phy", after: { kind: "bridge" } }], "ip_link");
    expect(predictions.lookup("link:br-phy")).toEqual({ after: { kind: "bridge" } });
    expect(predictions.lookup("link:br-ph")).toBeUndefined();
  });

  it("a change that declares nothing, or something unknown, makes the host uncertain, and the first reason stays", () => {
    const predictions = new Predictions();
    predictions.record([], "file");
    expect(predictions.uncertain).toBeUndefined();
    predictions.record(undefined, "package (install etcd-server)");
    expect(predictions.uncertain).toBe("package (install etcd-server) would change the host in ways check mode cannot foresee");
    predictions.record([{ kind: "unknown", what: "the command's result" }], "command");
    expect(predictions.uncertain).toMatch(/^package/);
  });
});
