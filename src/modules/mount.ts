/**
 * mount (ansible.posix.mount): a mount point's fstab entry (support/fstab.ts) and whether it is
 * mounted, read with `findmnt --mountpoint`. mounted: the directory, the entry, then a mount
 * (or a remount when a mounted entry changed); present / absent_from_fstab: the entry only;
 * unmounted: umount only; absent: the entry, then umount and rmdir; remounted: always remounts.
 */
import { z } from "zod";
import { defineModule, type Effect, type Fact, type FactValues, type Plan, type Step } from "./types.js";
import { editedFileFacts, planEditedFile } from "./support/edit-file.js";
import { fileStateFact } from "./support/file-state.js";
import { removeFstabEntry, setFstabEntry, type FstabEntry } from "./support/fstab.js";
import { change, fail, ok } from "./support/plan.js";
import { ProbeError } from "./support/probe-error.js";
import { boolish } from "./support/schema.js";
import { shScript } from "../transport/quote.js";

const STATES = ["mounted", "present", "unmounted", "absent", "absent_from_fstab", "remounted"] as const;
const field = (fallback: string, description: string) => z.union([z.string(), z.number()]).transform(String).default(fallback).describe(description);

const schema = z
  .strictObject({
    path: z.string().min(1).optional().describe("The mount point (alias: name)."),
    name: z.string().min(1).optional().describe("Alias of path."),
    src: z.string().min(1).optional().describe("The device, or the source of a bind or network mount (required with mounted and present)."),
    fstype: z.string().min(1).optional().describe("The filesystem type (required with mounted and present)."),
    opts: z.string().min(1).optional().describe("Mount options as in fstab (default: defaults)."),
    dump: field("0", "fstab's dump field."),
    passno: field("0", "fstab's pass field."),
    state: z.enum(STATES).describe("mounted: in fstab and mounted; present: in fstab only; unmounted: not mounted (fstab kept); absent: out of fstab, unmounted, mount point removed; absent_from_fstab: out of fstab only; remounted: remount now."),
    fstab: z.string().min(1).default("/etc/fstab").describe("The fstab file to edit (a file other than /etc/fstab is passed to mount with -T)."),
    boot: boolish("Mount at boot; false adds noauto to opts (unless opts has defaults).").default(true),
  })
  .superRefine((args, ctx) => {
    if (args.path === undefined && args.name === undefined) ctx.addIssue({ code: "custom", path: ["path"], message: "missing required argument 'path'" });
  });

type MountArgs = z.output<typeof schema>;

/** Whether something is mounted on the path: `findmnt` exits 1 when nothing is. */
function mountedFact(path: string): Fact<boolean> {
  return {
    argv: ["findmnt", "--noheadings", "--output", "TARGET", "--mountpoint", path],
    subject: `mount:${path}`,
    parse: (result) => {
      if (result.rc === 0) return true;
      if (result.rc === 1 && result.stderr.trim() === "") return false;
      throw new ProbeError(`findmnt failed: ${result.stderr.trim() || `exit ${result.rc}`}`);
    },
    predict: (after) => (typeof after === "boolean" ? after : undefined),
  };
}

const mountPath = (args: MountArgs): string => args.path ?? args.name ?? "";

function mountFacts(args: MountArgs) {
  const path = mountPath(args);
  const fstab = args.state === "unmounted" || args.state === "remounted" ? undefined : editedFileFacts(args.fstab);
  return { fstabState: fstab?.state, fstabText: fstab?.content, mounted: mountedFact(path), dir: fileStateFact(path) };
}

type MountFacts = FactValues<ReturnType<typeof mountFacts>>;

function wantedOpts(args: MountArgs): string {
  const opts = (args.opts ?? "defaults").split(",");
  if (!args.boot && !opts.includes("noauto") && !opts.includes("defaults")) opts.push("noauto");
  return opts.join(",");
}

const fstabFlag = (args: MountArgs): string[] => (args.fstab === "/etc/fstab" ? [] : ["-T", args.fstab]);

/** The fstab's own plan for an edit (its put and effect), or ok when the text stays. */
function fstabPlan(args: MountArgs, facts: MountFacts, edit: (text: string) => { text: string; changed: boolean }): { plan: Plan; changed: boolean } {
  if (facts.fstabState === undefined || facts.fstabText === undefined) return { plan: ok(), changed: false };
  const current = facts.fstabState.exists && facts.fstabText.read ? facts.fstabText.text : "";
  const result = edit(current);
  const plan = planEditedFile({ path: args.fstab, edit: () => result.text, create: true, attributes: {} }, { state: facts.fstabState, content: facts.fstabText });
  return { plan, changed: result.changed };
}

const mountedEffect = (path: string, mounted: boolean): Effect => ({ kind: "thing", subject: `mount:${path}`, after: mounted });

/** The fstab plan's steps and effects with these after them, as one verdict. */
function joined(first: Plan, steps: readonly Step[], effects: readonly Effect[], msg: string): Plan {
  if (first.kind === "fail") return first;
  const firstSteps = first.kind === "change" ? first.steps : [];
  const firstEffects = first.kind === "change" ? (first.effects ?? []) : [];
  if (firstSteps.length + steps.length === 0) return ok(msg);
  return change([...firstSteps, ...steps], undefined, [...firstEffects, ...effects], first.kind === "change" ? { diffs: first.diffs } : {});
}

function remountSteps(args: MountArgs, path: string, withOpts: boolean): Step[] {
  const opts = withOpts && wantedOpts(args) !== "defaults" ? `remount,${wantedOpts(args)}` : "remount";
  // Ansible falls back to umount + mount when a plain remount fails (not with state remounted and options)
  const fallback = opts === "remount" ? ' || { umount -- "$p" && mount "$@" -- "$p"; }' : "";
  const script = `p=$1 o=$2; shift 2; mount -o "$o" "$@" -- "$p"${fallback}`;
  return [{ kind: "run", argv: shScript(script, path, opts, ...fstabFlag(args)), describe: `remount ${path}` }];
}

function planMounted(args: MountArgs, path: string, facts: MountFacts, entry: FstabEntry): Plan {
  const fstab = fstabPlan(args, facts, (text) => setFstabEntry(text, entry));
  const mkdir: Step[] = facts.dir.exists ? [] : [{ kind: "run", argv: ["mkdir", "-p", "--", path] }];
  const dirEffects: Effect[] = facts.dir.exists ? [] : [{ kind: "path", path, after: { exists: true, kind: "directory" } }];
  if (!facts.mounted) {
    const mount: Step = { kind: "run", argv: ["mount", ...fstabFlag(args), "--", path] };
    return joined(fstab.plan, [...mkdir, mount], [...dirEffects, mountedEffect(path, true), { kind: "unknown", what: `the files of the filesystem mounted on ${path}` }], "");
  }
  return joined(fstab.plan, fstab.changed ? remountSteps(args, path, false) : [], [], `${path} is mounted as wanted`);
}

function planAbsent(args: MountArgs, path: string, facts: MountFacts, fromFstabOnly: boolean): Plan {
  const fstab = fstabPlan(args, facts, (text) => removeFstabEntry(text, path, args.src));
  if (fromFstabOnly || !fstab.changed) return joined(fstab.plan, [], [], `${path} is not in ${args.fstab}`);
  const umount: Step[] = facts.mounted ? [{ kind: "run", argv: ["umount", "--", path] }] : [];
  const rmdir: Step[] = facts.dir.exists ? [{ kind: "run", argv: ["rmdir", "--", path] }] : [];
  return joined(fstab.plan, [...umount, ...rmdir], [mountedEffect(path, false), { kind: "path", path, after: { exists: false } }], "");
}

function planMount(args: MountArgs, facts: MountFacts): Plan {
  const path = mountPath(args);
  const needsSource = args.state === "mounted" || args.state === "present";
  if (needsSource && (args.src === undefined || args.fstype === undefined)) {
    return fail(`state is ${args.state} but all of the following are missing: ${[args.src === undefined ? "src" : "", args.fstype === undefined ? "fstype" : ""].filter(Boolean).join(", ")}`);
  }
  const entry: FstabEntry = { src: args.src ?? "", path, fstype: args.fstype ?? "", opts: wantedOpts(args), dump: args.dump, passno: args.passno };
  switch (args.state) {
    case "mounted":
      return planMounted(args, path, facts, entry);
    case "present":
      return joined(fstabPlan(args, facts, (text) => setFstabEntry(text, entry)).plan, [], [], `${path} is in ${args.fstab} as wanted`);
    case "absent":
    case "absent_from_fstab":
      return planAbsent(args, path, facts, args.state === "absent_from_fstab");
    case "unmounted":
      return facts.mounted ? change([{ kind: "run", argv: ["umount", "--", path] }], undefined, [mountedEffect(path, false)]) : ok(`${path} is not mounted`);
    case "remounted":
      return change(remountSteps(args, path, true), `remount ${path}`, [mountedEffect(path, true)]);
  }
}

export const mount = defineModule({
  name: "mount",
  collection: "ansible.posix",
  summary: "Manage a mount point: its fstab entry and whether it is mounted",
  example: ["- name: Data disk", "  mount:", "    path: /srv/data", "    src: /dev/vdb1", "    fstype: ext4", "    opts: noatime", "    state: mounted"].join("\n"),
  schema,
  facts: mountFacts,
  plan: planMount,
});
