import { describe, expect, it } from "vitest";
import { runFixture } from "./helpers.js";

describe("play hosts magic variables", () => {
  it("leaves failed hosts out of ansible_play_hosts (all batches) and ansible_play_batch (this batch), as Ansible", async () => {
    const run = await runFixture("play-hosts.yaml");
    const shown = run.results("show");
    expect(shown.get("h1")?.msg).toBe("h1,h3 h1 h1,h2,h3");
    expect(shown.get("h3")?.msg).toBe("h1,h3 h3 h1,h2,h3");
    expect(shown.has("h2")).toBe(false);
  });
});
