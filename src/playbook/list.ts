/** Views of a loaded playbook for `--list-tasks` and role selection. */
import type { Node, Playbook } from "./model.js";

export interface ListedTask {
  readonly play: string;
  readonly role?: string | undefined;
  readonly name: string;
  /** Effective tags: the play's, every enclosing block's and the task's own. */
  readonly tags: readonly string[];
}

/**
 * Tasks and includes in run order (handlers and meta actions are not listed, as in Ansible): an
 * include_role is listed as itself, its role's tasks being known only when it runs.
 */
export function listTasks(playbook: Playbook): ListedTask[] {
  const listed: ListedTask[] = [];
  for (const play of playbook.plays) {
    const visit = (nodes: readonly Node[], inherited: readonly string[]): void => {
      for (const node of nodes) {
        const tags = [...new Set([...inherited, ...node.tags])];
        if (node.kind === "block" && node.includedRole !== undefined) {
          listed.push({ play: play.name, role: node.role?.name, name: `include_role : ${node.includedRole}`, tags: [...new Set([...tags, ...(node.includeTags ?? [])])] });
        } else if (node.kind === "block") {
          visit([...node.block, ...node.rescue, ...node.always], tags);
        } else if (node.kind !== "meta") {
          listed.push({ play: play.name, role: node.role?.name, name: node.name, tags });
        }
      }
    };
    visit([...play.preTasks, ...play.tasks, ...play.postTasks], play.tags);
  }
  return listed;
}

/** Every role a playbook uses, dependencies included, each once. */
export function findRoleNames(playbook: Playbook): string[] {
  return [...new Set(playbook.plays.flatMap((play) => play.roles.map((role) => role.name)))];
}
