/** `--list-hosts` and `--list-tasks`: what a run would touch, printed Ansible's way; nothing runs. */
import { oneLine } from "../report/console.js";
import type { Inventory } from "../inventory/types.js";
import { selectHosts } from "../inventory/patterns.js";
import { selectedByTags } from "../executor/tags.js";
import { listTasks } from "../playbook/load.js";
import type { Playbook } from "../playbook/model.js";

type Write = (text: string) => void;

export function printHosts(playbook: Playbook, inventory: Inventory, limit: string | undefined, write: Write): void {
  const limited = limit === undefined ? undefined : new Set(selectHosts(inventory, limit));
  playbook.plays.forEach((play, index) => {
    const hosts = selectHosts(inventory, play.hosts, play.where).filter((host) => limited?.has(host) ?? true);
    write(`\n  play #${index + 1} (${play.hosts}): ${play.name}\tTAGS: [${play.tags.join(", ")}]\n`);
    write(`    pattern: ['${play.hosts}']\n    hosts (${hosts.length}):\n${hosts.map((host) => `      ${host}\n`).join("")}`);
  });
}

/** What a run with these --tags/--skip-tags/--role would run, as ansible-playbook lists it. */
export interface TaskSelection {
  readonly tags: readonly string[];
  readonly skipTags: readonly string[];
  readonly role?: string | undefined;
}

export function printTasks(playbook: Playbook, playbookFile: string, write: Write, selection: TaskSelection): void {
  write(`\nplaybook: ${playbookFile}\n`);
  let currentPlay: string | undefined;
  const selected = listTasks(playbook).filter(
    (task) => selectedByTags(task.tags, selection.tags, selection.skipTags) && (selection.role === undefined || task.role === selection.role),
  );
  for (const task of selected) {
    if (task.play !== currentPlay) {
      currentPlay = task.play;
      write(`\n  play: ${task.play}\n    tasks:\n`);
    }
    write(`      ${oneLine(`${task.role ? `${task.role} : ` : ""}${task.name}`)}\tTAGS: [${task.tags.join(", ")}]\n`);
  }
}
