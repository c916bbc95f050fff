/** remote_user and connection: where they may be written, what they accept, and the errors for the rest. */
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ParseError } from "../../../src/errors.js";
import { loadPlaybook } from "../../../src/playbook/load.js";
import type { Play } from "../../../src/playbook/model.js";
import { fakeCatalog } from "./fake-catalog.js";
import { writeTree } from "./helpers.js";

function loadPlay(yaml: string, files: Record<string, string> = {}): Play {
  const dir = writeTree({ "site.yaml": yaml, ...files });
  const play = loadPlaybook(join(dir, "site.yaml"), { catalog: fakeCatalog, rolesPath: [] }).plays[0];
  if (play === undefined) throw new Error("no play");
  return play;
}

function loadFailure(yaml: string): ParseError {
  try {
    loadPlay(yaml);
  } catch (error) {
    if (error instanceof ParseError) return error;
    throw error;
  }
  throw new Error("expected a ParseError");
}

describe("remote_user and connection keywords", () => {
  it("are read on the play, a block, a task and a role entry", () => {
    const play = loadPlay(
      [
        "- hosts: all",
        "  remote_user: admin",
        "  connection: smart",
        "  roles:",
        "    - role: web",
        "      remote_user: deploy",
        "      connection: paramiko",
        "  tasks:",
        "    - command: id",
        "      remote_user: \"{{ other }}\"",
        "      connection: local",
        "    - block:",
        "        - command: id",
        "      remote_user: root",
        "      connection: ssh",
      ].join("\n"),
      { "roles/web/tasks/main.yaml": "- command: id\n- command: id\n  remote_user: own\n" },
    );
    expect(play).toMatchObject({ remoteUser: "admin", connection: "smart" });
    const [roleTask, roleOwn, task, block] = play.tasks;
    expect(roleTask).toMatchObject({ kind: "task", remoteUser: "deploy", connection: "paramiko" });
    // the role task's own keyword wins over its role entry's
    expect(roleOwn).toMatchObject({ kind: "task", remoteUser: "own", connection: "paramiko" });
    expect(task).toMatchObject({ kind: "task", remoteUser: "{{ other }}", connection: "local" });
    expect(block).toMatchObject({ kind: "block", remoteUser: "root", connection: "ssh" });
    // a role entry's keywords are keywords, not role parameters
    expect(roleTask?.vars).not.toHaveProperty("remote_user");
  });

  it("take a templated connection, checked when it is rendered", () => {
    const play = loadPlay("- hosts: all\n  tasks:\n    - command: id\n      connection: \"{{ how }}\"\n");
    expect(play.tasks[0]).toMatchObject({ connection: "{{ how }}" });
  });

  it.each([
    ["a task", "- hosts: all\n  tasks:\n    - command: id\n      connection: winrm\n", 4, 19],
    ["a play", "- hosts: all\n  connection: docker\n  tasks: []\n", 2, 15],
    ["a block", "- hosts: all\n  tasks:\n    - block:\n        - command: id\n      connection: psrp\n", 5, 19],
  ])("refuse a connection runbook does not have, on %s, located with a hint", (_where, yaml, line, column) => {
    const error = loadFailure(yaml);
    expect(error.message).toMatch(/^connection ".+" is not supported/);
    expect(error.hint).toContain("local, ssh, smart, paramiko");
    expect(error.location).toMatchObject({ line, column });
  });

  it("refuse a remote_user that is not a string", () => {
    const error = loadFailure("- hosts: all\n  tasks:\n    - command: id\n      remote_user: [a, b]\n");
    expect(error.message).toMatch(/remote_user must be a non-empty string/);
    expect(error.location).toMatchObject({ line: 4 });
  });
});
