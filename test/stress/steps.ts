/**
 * The stress generator's steps: each adds one to three tasks to a zone (a directory under the
 * test root) and records what every host is sure to have afterwards. A step never fights
 * another: each file has one owner of its content (copy/template), or edits that touch only their
 * own lines and blocks, so a complete run followed by a rerun changes nothing except where a task
 * is marked volatile (touch, commands without `creates`, absent-then-recreate, a loop whose items
 * replace each other).
 */
import { content, loopItems, maybeNotify, maybeRegister, MODES, stable, task, templateText, volatile } from "./decorate.js";
import { nextId, zonePath, type Gen, type GeneratedTask, type Zone, type ZoneFile } from "./model.js";

export interface StepResult {
  readonly tasks: GeneratedTask[];
  /** Files every host has once the step ran (none when the step runs on some hosts only). */
  readonly files: ZoneFile[];
}

export type Step = (gen: Gen, zone: Zone) => StepResult;

/** The zone's first tasks: its directory, removed first when the zone churns. */
export function zoneStart(gen: Gen, zone: Zone): GeneratedTask[] {
  const mode = gen.rng.chance(0.4) ? { mode: gen.rng.pick(["0755", "0750", "0700"]) } : {};
  const absent = zone.churn ? [volatile(task(nextId(zone), `absent ${zone.label}`, "file", { path: zone.dir, state: "absent" }))] : [];
  const make = task(nextId(zone), `directory ${zone.label}`, "file", { path: zone.dir, state: "directory", ...mode });
  return [...absent, { task: make, volatile: zone.churn }];
}

export const copyStep: Step = (gen, zone) => {
  const id = nextId(zone);
  const path = zonePath(zone, "f", id);
  const mode = gen.rng.chance(0.5) ? { mode: gen.rng.pick(MODES) } : {};
  const force = gen.rng.chance(0.15) ? { force: false } : {};
  return ownedFile(gen, zone, id, path, "copy", { content: content(gen.rng, id), dest: path, ...mode, ...force });
};

export const templateStep: Step = (gen, zone) => {
  const id = nextId(zone);
  const path = zonePath(zone, "tpl", id);
  const source = `tmpl-${id.replace(".", "-")}.hbs`;
  gen.files[source] = templateText(gen.rng, id);
  const mode = gen.rng.chance(0.4) ? { mode: gen.rng.pick(MODES) } : {};
  return ownedFile(gen, zone, id, path, "template", { src: source, dest: path, ...mode });
};

/**
 * A set_fact, then a Jinja2 template that reads it from every host through hostvars: what the
 * template engine caches of other hosts' variables must follow their changes (a later zone's
 * set_fact gives the same variable a new value).
 */
export const hostvarsStep: Step = (gen, zone) => {
  const id = nextId(zone);
  const path = zonePath(zone, "hv", id);
  const source = `hostvars-${id.replace(".", "-")}.j2`;
  gen.files[source] = "{% for h in groups['all'] | sort %}{{ h }} = {{ hostvars[h].rb_mark | default('none') }}\n{% endfor %}";
  const mark = task(id, `set_fact rb_mark ${id}`, "set_fact", { rb_mark: `{{ inventory_hostname }} at ${id} n={{ rb_n }}` });
  const file = ownedFile(gen, zone, `${id}t`, path, "template", { src: source, dest: path });
  return { tasks: [stable(mark), ...file.tasks], files: file.files };
};

/** A file whose content one task (copy or template) owns; the task may register and notify. */
function ownedFile(gen: Gen, zone: Zone, id: string, path: string, module: string, args: Record<string, unknown>): StepResult {
  const generated = stable(task(id, `${module} ${path}`, module, args));
  maybeRegister(gen, zone, generated);
  maybeNotify(gen, generated);
  return { tasks: [generated], files: [{ path, kind: "whole", modeSet: "mode" in args }] };
}

/** copy over loop items, one file per item. */
export const copyLoopStep: Step = (gen, zone) => {
  const id = nextId(zone);
  const base = zonePath(zone, "c", id);
  const items = [...new Set(loopItems(gen.rng))];
  const generated = stable(task(id, `copy loop ${base}-*`, "copy", { content: "{{ item }} on {{ inventory_hostname }}\n", dest: `${base}-{{ item }}` }, { loop: items }));
  maybeRegister(gen, zone, generated);
  maybeNotify(gen, generated);
  return { tasks: [generated], files: items.map((item) => ({ path: `${base}-${item}`, kind: "whole" as const, modeSet: false })) };
};

/**
 * lineinfile over loop items on one file: each item its own line (as in issue 11's playbook),
 * each item its own regexp, or one regexp for all items (each item replaces the one before:
 * volatile). The file is new, or one this zone already edits.
 */
export const lineLoopStep: Step = (gen, zone) => {
  const id = nextId(zone);
  const key = `k${id.replace(".", "_")}`;
  const variant = gen.rng.weighted([["lines", 3], ["regexps", 2], ["replacing", 1]] as const);
  const { file: target, isNew } = editTarget(gen, zone, variant === "replacing");
  const args: Record<string, unknown> =
    variant === "lines"
      ? { line: `${key} = {{ item }}` }
      : variant === "regexps"
        ? { regexp: `^${key}_{{ item }} =`, line: `${key}_{{ item }} = {{ rb_n }}` }
        : { regexp: `^${key} =`, line: `${key} = {{ item }}` };
  if (variant === "lines" && gen.rng.chance(0.3)) args["insertbefore"] = "BOF";
  const body = { path: target.path, ...args, create: true };
  const generated = { task: task(id, `lineinfile loop ${target.path}`, "lineinfile", body, { loop: loopItems(gen.rng) }), volatile: variant === "replacing" };
  maybeRegister(gen, zone, generated);
  maybeNotify(gen, generated);
  return { tasks: [generated], files: isNew && variant !== "replacing" ? [target] : [] };
};

export const blockStep: Step = (gen, zone) => {
  const id = nextId(zone);
  const { file: target, isNew } = editTarget(gen, zone, false);
  const lines = gen.rng.pick([`block ${id}`, `block ${id}\nhost {{ inventory_hostname }}`, "n = {{ rb_n }}\nvariant = {{ rb_variant }}\n"]);
  const where = gen.rng.chance(0.3) ? { insertbefore: "BOF" } : {};
  const body = { path: target.path, block: lines, marker: `# {mark} ${id}`, create: true, ...where };
  const generated = stable(task(id, `blockinfile ${target.path}`, "blockinfile", body));
  maybeRegister(gen, zone, generated);
  maybeNotify(gen, generated);
  return { tasks: [generated], files: isNew ? [target] : [] };
};

/** A file this zone already edits (not when `fresh`), or a new one. */
function editTarget(gen: Gen, zone: Zone, fresh: boolean): { file: ZoneFile; isNew: boolean } {
  const edited = zone.files.filter((file) => file.kind === "edited");
  if (!fresh && edited.length > 0 && gen.rng.chance(0.5)) return { file: gen.rng.pick(edited), isNew: false };
  return { file: { path: zonePath(zone, "e", `${zone.label}.${zone.next}`), kind: "edited", modeSet: false }, isNew: true };
}

export const touchStep: Step = (gen, zone) => {
  const id = nextId(zone);
  const path = zonePath(zone, "t", id);
  const mode = gen.rng.chance(0.3) ? { mode: gen.rng.pick(MODES) } : {};
  const generated = volatile(task(id, `touch ${path}`, "file", { path, state: "touch", ...mode }));
  maybeNotify(gen, generated);
  return { tasks: [generated], files: [{ path, kind: "made", modeSet: "mode" in mode }] };
};

/** A symbolic link to a file of the zone, or to a path that never exists. */
export const linkStep: Step = (gen, zone) => {
  const id = nextId(zone);
  const path = zonePath(zone, "l", id);
  const existing = zone.files.length > 0 && gen.rng.chance(0.7);
  const src = existing ? gen.rng.pick(zone.files).path : zonePath(zone, "missing", id);
  // a link to a missing path needs force, as in Ansible (without it the task fails and ends the host)
  const force = existing ? {} : { force: true };
  return { tasks: [stable(task(id, `link ${path}`, "file", { path, src, state: "link", ...force }))], files: [] };
};

/** Sets the mode of a file whose mode no other task sets. */
export const modeStep: Step = (gen, zone) => {
  const free = zone.files.filter((file) => !file.modeSet);
  if (free.length === 0) return copyStep(gen, zone);
  const file = gen.rng.pick(free);
  file.modeSet = true;
  const id = nextId(zone);
  return { tasks: [stable(task(id, `mode ${file.path}`, "file", { path: file.path, state: "file", mode: gen.rng.pick(MODES) }))], files: [] };
};
