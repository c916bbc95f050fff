/**
 * The stress generator's steps around commands and control flow: `command` with creates and
 * removes, plain commands, a directory removed and made again (issue 11's pattern), and tasks
 * whose `when:` reads a registered result.
 */
import { loopItems, maybeNotify, maybeRegister, stable, task, volatile } from "./decorate.js";
import { nextId, zonePath, type Register } from "./model.js";
import { copyStep, type Step } from "./steps.js";

/** A command that makes the path its `creates` names: it runs once, then is skipped. */
export const createsStep: Step = (gen, zone) => {
  const id = nextId(zone);
  const path = zonePath(zone, "m", id);
  const argv = gen.rng.pick([
    ["touch", path],
    ["mkdir", "-p", path],
    ["sh", "-c", `printf '%s\\n' "$1" > "$2"`, "sh", "{{ inventory_hostname }}", path],
  ]);
  const generated = stable(task(id, `command creates ${path}`, "command", { argv, creates: path }));
  maybeRegister(gen, zone, generated);
  maybeNotify(gen, generated);
  const isFile = argv[0] !== "mkdir";
  return { tasks: [generated], files: isFile ? [{ path, kind: "made", modeSet: false }] : [] };
};

/**
 * `removes`: a path that never exists (skipped on every run); a file that exists and stays
 * (runs, so changes, on every run); or a file a command makes and the next removes (both run on
 * every run).
 */
export const removesStep: Step = (gen, zone) => {
  const id = nextId(zone);
  const variant = zone.files.length > 0 ? gen.rng.pick(["never", "kept", "pair"] as const) : gen.rng.pick(["never", "pair"] as const);
  if (variant === "never") {
    const path = zonePath(zone, "gone", id);
    return { tasks: [stable(task(id, `command removes ${path}`, "command", { argv: ["rm", "-f", path], removes: path }))], files: [] };
  }
  if (variant === "kept") {
    const path = gen.rng.pick(zone.files).path;
    const generated = volatile(task(id, `command removes (kept) ${path}`, "command", { argv: ["test", "-e", path], removes: path }));
    maybeNotify(gen, generated);
    return { tasks: [generated], files: [] };
  }
  const path = zonePath(zone, "p", id);
  const make = volatile(task(id, `command creates (pair) ${path}`, "command", { argv: ["touch", path], creates: path }));
  const remove = volatile(task(nextId(zone), `command removes (pair) ${path}`, "command", { argv: ["rm", path], removes: path }));
  maybeRegister(gen, zone, remove);
  return { tasks: [make, remove], files: [] };
};

/** A command without creates/removes: it runs, and reports a change, every time. */
export const plainCommandStep: Step = (gen, zone) => {
  const id = nextId(zone);
  const cmd = gen.rng.pick(["echo {{ inventory_hostname }}", "true", `ls ${zone.dir}`, "echo n={{ rb_n }}"]);
  const generated = volatile(task(id, `command ${cmd.split(" ")[0]}`, "command", { cmd }));
  maybeRegister(gen, zone, generated, true);
  maybeNotify(gen, generated);
  return { tasks: [generated], files: [] };
};

/** Issue 11's pattern inside a zone: a directory removed, made again and edited over a loop. */
export const recreateStep: Step = (gen, zone) => {
  const dir = zonePath(zone, "s", nextId(zone));
  const absent = volatile(task(`${zone.label}.${zone.next}`, `absent ${dir}`, "file", { path: dir, state: "absent" }));
  const made = volatile(task(nextId(zone), `directory ${dir}`, "file", { path: dir, state: "directory" }));
  const edit = volatile(task(nextId(zone), `lineinfile loop ${dir}/settings`, "lineinfile", { path: `${dir}/settings`, line: "level = {{ item }}", create: true }, { loop: loopItems(gen.rng) }));
  maybeRegister(gen, zone, edit);
  return { tasks: [absent, made, edit], files: [] };
};

/**
 * A copy that runs only when an earlier registered result says so. It may change on a rerun
 * when the result it reads may (a volatile task's), or when it runs only once nothing changed.
 */
export const whenRegisteredStep: Step = (gen, zone) => {
  if (zone.registers.length === 0) return copyStep(gen, zone);
  const register = gen.rng.pick(zone.registers);
  const { condition, onRerun } = conditionOn(gen.rng.pick([0, 1, 2, 3, 4]), register);
  const id = nextId(zone);
  const path = zonePath(zone, "w", id);
  const body = { content: `when ${condition}\n`, dest: path };
  const generated = { task: task(id, `copy when ${register.name}`, "copy", body, { when: condition }), volatile: register.volatile || onRerun };
  maybeNotify(gen, generated);
  return { tasks: [generated], files: [] };
};

/** The condition, and whether it may first hold on a rerun (a stable result reads otherwise then). */
function conditionOn(choice: number, register: Register): { condition: string; onRerun: boolean } {
  const name = register.name;
  if (register.plainCommand && choice < 2) return { condition: choice === 0 ? `${name}.rc == 0` : `${name}.stdout != ''`, onRerun: false };
  switch (choice) {
    case 0:
    case 1:
      return { condition: `${name} is changed`, onRerun: false };
    case 2:
      return { condition: `${name} is not changed`, onRerun: true };
    case 3:
      return { condition: `${name} is skipped or rb_flag`, onRerun: false };
    default:
      return { condition: `${name} is succeeded and rb_variant != 1`, onRerun: false };
  }
}
