/**
 * apt_repository: an apt source line present or absent (support/apt-sources.ts), read from
 * sources.list and sources.list.d/*.list in one probe. Only the files whose lines change are
 * written (one atomic put each, or removed when left empty), then `apt-get update` when asked.
 */
import { z } from "zod";
import { defineModule, type Effect, type Plan, type Step } from "./types.js";
import { addSource, dumpSources, loadSources, parseSourceLine, removeSource, sourceFile } from "./support/apt-sources.js";
import { fileSnapshotFact } from "./support/file-snapshot.js";
import { change, fail, ok } from "./support/plan.js";
import { boolish, modeArg } from "./support/schema.js";

const SOURCES_LIST = "/etc/apt/sources.list";
const SOURCES_DIR = "/etc/apt/sources.list.d";

const schema = z.strictObject({
  repo: z.string().describe("The source line, e.g. `deb [signed-by=/etc/apt/keyrings/x.gpg] https://example.org/debian bookworm main`."),
  state: z.enum(["present", "absent"]).default("present").describe("present: the line is there and enabled (a disabled copy is enabled); absent: every enabled copy is removed."),
  filename: z.string().min(1).optional().describe("The sources.list.d file for a new line, without .list (default: from the repository's host and path)."),
  mode: modeArg.optional().describe("Mode of a file a new line is added to (default 0644)."),
  update_cache: boolish("Run apt-get update after a change (alias: update-cache).").default(true),
  "update-cache": boolish("Alias of update_cache.").optional(),
  codename: z.string().optional().describe("Accepted for Ansible's PPA lines; unused for deb lines."),
});

type RepoArgs = z.output<typeof schema>;

function fileSteps(before: ReadonlyMap<string, string>, after: ReadonlyMap<string, string>, appended: string | undefined, mode: string | undefined): { steps: Step[]; effects: Effect[] } {
  const steps: Step[] = [];
  const effects: Effect[] = [];
  for (const path of new Set([...before.keys(), ...after.keys()])) {
    const text = after.get(path);
    if (text === before.get(path)) continue;
    if (text === undefined) {
      steps.push({ kind: "run", argv: ["rm", "-f", "--", path] });
      effects.push({ kind: "path", path, after: { exists: false } });
      continue;
    }
    const fileMode = path === appended ? (mode ?? "0644") : undefined;
    steps.push({ kind: "put", path, content: Buffer.from(text), mode: fileMode });
    effects.push({ kind: "path", path, after: { exists: true, kind: "file", content: Buffer.from(text), mode: fileMode } });
  }
  return { steps, effects };
}

function planRepository(args: RepoArgs, files: ReadonlyMap<string, string>): Plan {
  if (args.repo.trim() === "") return fail("Please set argument 'repo' to a non-empty value");
  const line = parseSourceLine(args.repo);
  if (!line.valid || !line.enabled) return fail(`Invalid repository string: ${args.repo}`);
  const sources = loadSources(files);
  const before = dumpSources(sources);
  const appended = args.state === "present" ? addSource(sources, line.source, sourceFile(line.source, args.filename, SOURCES_DIR)) : (removeSource(sources, line.source), undefined);
  const { steps, effects } = fileSteps(before, dumpSources(sources), appended, args.mode);
  if (steps.length === 0) return ok(`${line.source} is ${args.state}`, { data: { repo: args.repo, state: args.state } });
  const update = args.update_cache && args["update-cache"] !== false;
  const refresh: Step[] = update ? [{ kind: "run", argv: ["apt-get", "update", "-q"] }] : [];
  const diffs = steps.flatMap((step) => (step.kind === "put" ? [{ path: step.path, before: before.get(step.path) ?? "", after: step.content.toString() }] : []));
  return change([...steps, ...refresh], undefined, [...effects, ...(update ? [{ kind: "unknown", what: "apt's package lists" } as const] : [])], { diffs, data: { repo: args.repo, state: args.state } });
}

export const aptRepository = defineModule({
  name: "apt_repository",
  summary: "Add or remove an apt source line (sources.list.d)",
  example: ["- name: Docker's repository", "  apt_repository:", '    repo: "deb [signed-by=/etc/apt/keyrings/docker.gpg] https://download.docker.com/linux/debian bookworm stable"', "    filename: docker"].join("\n"),
  schema,
  facts: () => ({ files: fileSnapshotFact([SOURCES_LIST, `${SOURCES_DIR}/*.list`]) }),
  plan: (args, facts) => planRepository(args, facts.files),
});
