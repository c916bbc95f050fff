/**
 * What the stress steps add to a task besides its module: a name, a `register`, a `notify`, a
 * `when:` on host variables, and generated contents that differ from host to host.
 */
import type { Gen, GeneratedTask, Register, YamlTask, Zone } from "./model.js";
import type { Rng } from "./rng.js";

export const MODES = ["0644", "0600", "0640", "0755"] as const;
export const ITEMS = ["one", "two", "three", "four", "five"] as const;

/** Module name and arguments under the task's unique name (`z1.3 copy f3`). */
export function task(id: string, summary: string, module: string, args: unknown, extra: YamlTask = {}): YamlTask {
  return { name: `${id} ${summary}`, [module]: args, ...extra };
}

export const stable = (generated: YamlTask): GeneratedTask => ({ task: generated, volatile: false });
export const volatile = (generated: YamlTask): GeneratedTask => ({ task: generated, volatile: true });

export function taskName(generated: YamlTask): string {
  return String(generated["name"]);
}

/** Sometimes registers the task's result for a later `when:`; the register is returned when it does. */
export function maybeRegister(gen: Gen, zone: Zone, generated: GeneratedTask, plainCommand = false): Register | undefined {
  if (!gen.rng.chance(plainCommand ? 0.8 : 0.35)) return undefined;
  const name = `r_${taskName(generated.task).split(" ")[0]?.replace(".", "_")}`;
  generated.task["register"] = name;
  const register: Register = { name, volatile: generated.volatile, plainCommand };
  zone.registers.push(register);
  return register;
}

/** Sometimes notifies a handler (a new one, up to three, or one already made). */
export function maybeNotify(gen: Gen, generated: GeneratedTask): void {
  if (!gen.rng.chance(0.3)) return;
  const handler = gen.handlers.length < 3 && (gen.handlers.length === 0 || gen.rng.chance(0.5)) ? newHandler(gen) : gen.rng.pick(gen.handlers);
  generated.task["notify"] = taskName(handler);
}

function newHandler(gen: Gen): YamlTask {
  const n = gen.handlers.length + 1;
  const id = `h${n}`;
  const kind = gen.rng.pick(["log", "touch", "copy"] as const);
  const handlerTask =
    kind === "log"
      ? task(id, "log a line", "lineinfile", { path: `${gen.root}/handlers.log`, line: `handler ${n} ran on {{ inventory_hostname }}`, create: true })
      : kind === "touch"
        ? task(id, "touch a file", "command", { argv: ["touch", `${gen.root}/handled-${n}`] })
        : task(id, "copy a stamp", "copy", { content: `handler ${n}\n`, dest: `${gen.root}/stamp-${n}` });
  gen.handlers.push(handlerTask);
  return handlerTask;
}

/** A condition on the host variables the inventory gives each host (rb_variant, rb_flag, rb_n). */
export function hostCondition(rng: Rng): string {
  return rng.pick(["rb_variant == 1", "rb_variant != 2", "rb_flag", "not rb_flag", "rb_n > 2", "rb_variant in [0, 2]"]);
}

/** File contents: fixed text, or text that differs from host to host. */
export function content(rng: Rng, id: string): string {
  return rng.pick([
    `fixed ${id}\n`,
    `host {{ inventory_hostname }} ${id}\n`,
    `n = {{ rb_n }}\nflag = {{ rb_flag }}\nvariant = {{ rb_variant }}\n`,
    "",
    `${id}\nline two\n\nline four, no newline at the end`,
  ]);
}

/** A template file's text (Handlebars, as the template module renders it). */
export function templateText(rng: Rng, id: string): string {
  const lines = [`# template ${id}`, "host = {{ inventory_hostname }}"];
  if (rng.chance(0.6)) lines.push("n = {{ rb_n }}");
  if (rng.chance(0.6)) lines.push("{{#if rb_flag}}flag = on{{else}}flag = off{{/if}}");
  if (rng.chance(0.4)) lines.push("{{#each rb_tags}}tag {{this}}\n{{/each}}");
  return `${lines.join("\n")}\n`;
}

/** Loop items: two to four distinct ones, now and then with one repeated. */
export function loopItems(rng: Rng): string[] {
  const start = rng.int(0, ITEMS.length - 2);
  const items: string[] = ITEMS.slice(start, start + rng.int(2, 4));
  if (rng.chance(0.2)) items.push(rng.pick(items));
  return items;
}
