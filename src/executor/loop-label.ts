/**
 * What a looped task's result lines show for an item, by Ansible's rules: `loop_control.label`
 * rendered with the item's variables when the task has one, otherwise the item itself (a
 * registered result looped over shows whole, as in Ansible; give it a label). Long items are
 * cut so one item stays one line.
 */
import type { TaskNode, Vars } from "../playbook/model.js";
import { renderValue } from "../template/index.js";

const MAX_LABEL = 80;

export function loopItemLabel(task: TaskNode, itemVars: Vars, item: unknown): string {
  const shown = task.loopLabel === undefined ? item : renderValue(task.loopLabel, itemVars, task.where);
  const text = typeof shown === "string" ? shown : JSON.stringify(shown) ?? String(shown);
  const oneLine = text.replace(/\r?\n/g, "\\n");
  return oneLine.length > MAX_LABEL ? `${oneLine.slice(0, MAX_LABEL - 3)}...` : oneLine;
}
