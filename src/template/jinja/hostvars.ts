/**
 * `hostvars` as templates see it: hostvars[other] is that host's variables with their templates
 * rendered on read against its own variables (Ansible's HostVars).
 *
 * Every rendering (each host, each task, each template file) used to build its own view of every
 * other host: hosts x hosts views per task, each walking all of a host's variables and facts. One
 * view is now shared by every rendering with the same hostvars, groups and location, and its
 * entries are computed again once any host's variables changed (vars/revision.ts).
 */
import type { SourceLocation } from "../../errors.js";
import { lazyVars } from "../../vars/lazy.js";
import { hostVarsRevision } from "../../vars/revision.js";
import { renderReads } from "../reads.js";
import { isPlainObject } from "../values.js";

type Vars = Readonly<Record<string, unknown>>;
type Views = Map<string, Record<string, unknown>>;

const views = new WeakMap<object, WeakMap<object, Views>>();
const NO_GROUPS = {};
/** RUNBOOK_HOSTVARS_CACHE=off builds a view per rendering, to show that the cache changes nothing but speed. */
const CACHED = process.env["RUNBOOK_HOSTVARS_CACHE"] !== "off";

export function hostvarsView(hostvars: Record<string, unknown>, groups: unknown, where: SourceLocation): Record<string, unknown> {
  if (!CACHED) return buildView(hostvars, groups, where);
  const groupsKey = typeof groups === "object" && groups !== null ? groups : NO_GROUPS;
  let byGroups = views.get(hostvars);
  if (byGroups === undefined) views.set(hostvars, (byGroups = new WeakMap()));
  let byWhere = byGroups.get(groupsKey);
  if (byWhere === undefined) byGroups.set(groupsKey, (byWhere = new Map()));
  const key = `${where.file}:${where.line}:${where.column}`;
  let view = byWhere.get(key);
  if (view === undefined) byWhere.set(key, (view = buildView(hostvars, groups, where)));
  return view;
}

function buildView(hostvars: Record<string, unknown>, groups: unknown, where: SourceLocation): Record<string, unknown> {
  const view: Record<string, unknown> = {};
  const magic = { groups, hostvars: view };
  for (const host of Object.keys(hostvars)) {
    let cached: { readonly raw: unknown; readonly revision: number; readonly value: unknown } | undefined;
    Object.defineProperty(view, host, {
      enumerable: true,
      get: () => {
        renderReads.hostvars++;
        const raw = hostvars[host];
        const revision = hostVarsRevision();
        if (cached === undefined || cached.raw !== raw || cached.revision !== revision) {
          cached = { raw, revision, value: templatedView(raw, { ...magic, inventory_hostname: host }, where) };
        }
        return cached.value;
      },
    });
  }
  return view;
}

/** Another host's variables with their templates rendered on read (against that host's variables), unless they already are. */
function templatedView(raw: unknown, magic: Vars, where: SourceLocation): unknown {
  if (!isPlainObject(raw)) return raw;
  const descriptors = Object.values(Object.getOwnPropertyDescriptors(raw));
  if (descriptors.some((descriptor) => descriptor.get !== undefined)) return raw;
  const plain = Object.fromEntries(Object.entries(magic).filter(([key]) => !Object.hasOwn(raw, key) || key === "hostvars" || key === "groups"));
  return lazyVars(raw, plain, where);
}
