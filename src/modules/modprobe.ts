/**
 * modprobe (community.general.modprobe): a kernel module loaded or not, and, with persistent,
 * listed for boot in /etc/modules-load.d/NAME.conf with its options in /etc/modprobe.d/NAME.conf.
 * Loaded means in /proc/modules or built into the kernel (modules.builtin), as in Ansible; a
 * kernel without either (no module support) cannot answer, and the task fails.
 */
import { z } from "zod";
import { defineModule, type Effect, type Fact, type Plan, type ProbeResult, type Step } from "./types.js";
import { change, fail, ok } from "./support/plan.js";
import { ProbeError } from "./support/probe-error.js";
import { splitWords } from "./command.js";
import { fileSnapshotFact } from "./support/file-snapshot.js";
import { shScript } from "../transport/quote.js";

const schema = z.strictObject({
  name: z.string().regex(/^[A-Za-z0-9_-]+$/, "expected a kernel module name").describe("The kernel module."),
  state: z.enum(["present", "absent"]).default("present").describe("present: loaded (modprobe); absent: unloaded (modprobe -r)."),
  params: z.string().default("").describe("Module parameters, as `key=value key2=value2`."),
  persistent: z.enum(["disabled", "present", "absent"]).default("disabled").describe("present: load at boot with these params; absent: comment out its boot and options lines; disabled: leave boot config alone."),
});

type ModprobeArgs = z.output<typeof schema>;

const LOAD_DIR = "/etc/modules-load.d";
const OPTIONS_DIR = "/etc/modprobe.d";

const LOADED_SCRIPT = [
  'test -r /proc/modules || { echo "cannot read /proc/modules (a kernel without module support?)" >&2; exit 2; }',
  'grep -q "^$1 " /proc/modules && { echo loaded; exit 0; }',
  'f="/lib/modules/$(uname -r)/modules.builtin"',
  'test -r "$f" || { echo "cannot read $f" >&2; exit 2; }',
  'if grep -q "/$2\\.ko$" "$f"; then echo builtin; else echo absent; fi',
].join("\n");

function loadedFact(name: string): Fact<boolean> {
  return {
    argv: shScript(LOADED_SCRIPT, name.replace(/-/g, "_"), name),
    subject: `kmod:${name}`,
    parse: (result: ProbeResult) => {
      const word = result.stdout.trim();
      if (result.rc !== 0 || !["loaded", "builtin", "absent"].includes(word)) throw new ProbeError(result.stderr.trim() || `exit ${result.rc}`);
      return word !== "absent";
    },
    predict: (after) => (typeof after === "boolean" ? after : undefined),
  };
}

const escape = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
const lineOf = (text: string): string[] => text.match(/[^\n]*\n|[^\n]+$/g) ?? [];

function patterns(name: string) {
  return {
    module: new RegExp(`^ *${escape(name)} *(?:[#;].*)?\\n?$`),
    params: new RegExp(`^options ${escape(name)} (\\w+=\\S+) *(?:[#;].*)?\\n?$`),
  };
}

/** What the boot files say of the module: listed for loading, and its `options` parameters. */
function bootState(name: string, files: ReadonlyMap<string, string>) {
  const { module, params } = patterns(name);
  const inDir = (dir: string) => [...files].filter(([path]) => path.startsWith(`${dir}/`));
  const listed = inDir(LOAD_DIR).some(([, text]) => lineOf(text).some((line) => module.test(line)));
  const set = new Set(inDir(OPTIONS_DIR).flatMap(([, text]) => lineOf(text).flatMap((line) => params.exec(line)?.[1] ?? [])));
  return { listed, params: set };
}

/** Puts that comment out the lines a pattern matches, in the files of one directory. */
function commentOut(files: ReadonlyMap<string, string>, dir: string, pattern: RegExp): Step[] {
  return [...files].flatMap(([path, text]): Step[] => {
    if (!path.startsWith(`${dir}/`) || !lineOf(text).some((line) => pattern.test(line))) return [];
    const next = lineOf(text).map((line) => (pattern.test(line) ? `#${line}` : line)).join("");
    return [{ kind: "put", path, content: Buffer.from(next) }];
  });
}

function persistSteps(args: ModprobeArgs, files: ReadonlyMap<string, string>): Step[] {
  const boot = bootState(args.name, files);
  const wanted = new Set(args.params.split(/\s+/).filter((word) => word !== ""));
  const paramsSet = wanted.size === boot.params.size && [...wanted].every((param) => boot.params.has(param));
  const { module, params } = patterns(args.name);
  if (args.persistent === "present") {
    if (boot.listed && paramsSet) return [];
    const load: Step[] = boot.listed ? [] : [{ kind: "put", path: `${LOAD_DIR}/${args.name}.conf`, content: Buffer.from(`${args.name}\n`) }];
    if (paramsSet) return load;
    const options = [...wanted].map((param) => `options ${args.name} ${param}\n`).join("") || "\n";
    return [...load, ...commentOut(files, OPTIONS_DIR, params), { kind: "put", path: `${OPTIONS_DIR}/${args.name}.conf`, content: Buffer.from(options) }];
  }
  if (args.persistent === "absent") return [...commentOut(files, LOAD_DIR, module), ...commentOut(files, OPTIONS_DIR, params)];
  return [];
}

function planModprobe(args: ModprobeArgs, loaded: boolean, files: ReadonlyMap<string, string> | undefined): Plan {
  const steps: Step[] = [];
  const effects: Effect[] = [];
  if (args.state === "present" && !loaded) {
    steps.push({ kind: "run", argv: ["modprobe", "--", args.name, ...splitWords(args.params)] });
    effects.push({ kind: "thing", subject: `kmod:${args.name}`, after: true });
  } else if (args.state === "absent" && loaded) {
    steps.push({ kind: "run", argv: ["modprobe", "-r", "--", args.name] });
    effects.push({ kind: "thing", subject: `kmod:${args.name}`, after: false });
  }
  const persist = files === undefined ? [] : persistSteps(args, files);
  for (const step of persist) if (step.kind === "put") effects.push({ kind: "path", path: step.path, after: { exists: true, kind: "file", content: step.content } });
  if (steps.length + persist.length === 0) return ok(`${args.name} is ${args.state === "present" ? "loaded" : "not loaded"}`);
  return change([...steps, ...persist], undefined, effects);
}

export const modprobe = defineModule({
  name: "modprobe",
  collection: "community.general",
  summary: "Load or unload a kernel module, and list it for boot",
  example: ["- name: Bridged traffic through iptables", "  modprobe:", "    name: br_netfilter", "    persistent: present"].join("\n"),
  schema,
  facts: (args) => ({
    loaded: loadedFact(args.name),
    files: args.persistent === "disabled" ? undefined : fileSnapshotFact([`${LOAD_DIR}/*`, `${OPTIONS_DIR}/*`]),
  }),
  plan: (args, facts) => (facts.files === undefined && args.persistent !== "disabled" ? fail("internal: boot files not read") : planModprobe(args, facts.loaded, facts.files)),
});
