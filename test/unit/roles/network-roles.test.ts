/** The network roles load and validate without a host: every task's module and arguments are known. */
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { moduleCatalog } from "../../../src/modules/registry.js";
import { loadPlaybook } from "../../../src/playbook/load.js";
import type { Node } from "../../../src/playbook/model.js";

const REPO = join(import.meta.dirname, "../../..");

function taskNames(nodes: readonly Node[]): string[] {
  return nodes.flatMap((node) => (node.kind === "task" ? [node.name] : node.kind === "block" ? taskNames([...node.block, ...node.rescue, ...node.always]) : []));
}

describe("network roles", () => {
  it.each(["ovs-mesh.yaml", "docker-bridge.yaml", "modules.yaml", "modules-absent.yaml"])("%s loads with the project's roles", (file) => {
    const playbook = loadPlaybook(join(REPO, "test/fixtures/netroles", file), { catalog: moduleCatalog, rolesPath: [join(REPO, "roles")] });
    expect(playbook.plays.length).toBeGreaterThan(0);
  });

  it("ovs-vxlan runs after its dependency docker-bridge, whose handlers flush before the mesh is built", () => {
    const playbook = loadPlaybook(join(REPO, "test/fixtures/netroles/ovs-mesh.yaml"), { catalog: moduleCatalog, rolesPath: [join(REPO, "roles")] });
    const play = playbook.plays[0];
    expect(play?.roles.map((role) => role.name)).toEqual(["docker-bridge", "ovs-vxlan"]);
    const names = taskNames(play?.tasks ?? []);
    expect(names.indexOf("dockerd is on its new bridge before anything is attached to it")).toBeLessThan(names.indexOf("A veth pair from the docker bridge to the tunnel bridge"));
    expect(play?.handlers.map((handler) => handler.name)).toEqual(["stop dockerd", "delete the stale docker0", "start dockerd"]);
  });
});
