/**
 * The argument pieces package, apt, dnf and yum share, with Ansible's names and aliases, and
 * the step from parsed arguments to a PackageRequest.
 */
import { z } from "zod";
import type { Manager } from "./packages.js";
import type { PackageRequest } from "./package-plan.js";
import { boolish, intArg, stringList } from "./schema.js";

const names = (description: string) => stringList(description).optional();

export const commonPackageFields = {
  name: names("Package name or list of names (a comma-separated string too), e.g. [nginx, curl] (alias: pkg)."),
  pkg: names("Alias of name."),
  state: z
    .enum(["present", "absent", "latest", "installed", "removed"])
    .default("present")
    .describe("present: installed; latest: installed and upgraded; absent: removed. installed/removed: dnf/yum's aliases (apt refuses them)."),
  update_cache: boolish("Refresh the package lists first (apt-get update; dnf/yum makecache).").default(false),
  autoremove: boolish("Also remove dependencies nothing needs any more.").default(false),
};

/** apt's states: Ansible's apt refuses dnf/yum's installed and removed. */
export const aptState = z.enum(["present", "absent", "latest"]).default("present").describe("present: installed; latest: installed and upgraded; absent: removed.");

export const aptFields = {
  cache_valid_time: intArg("apt: update the lists only when older than this many seconds (implies update_cache).").optional(),
  install_recommends: boolish("apt: install recommended packages too (default: apt's own setting).").optional(),
  purge: boolish("apt: with state absent, remove configuration files too.").default(false),
};

export const repoFields = {
  enablerepo: stringList("dnf/yum: repositories to enable for this task.").optional(),
  disablerepo: stringList("dnf/yum: repositories to disable for this task (applied before enablerepo).").optional(),
};

interface ParsedCommon {
  readonly name?: readonly string[] | undefined;
  readonly pkg?: readonly string[] | undefined;
  readonly state: "present" | "absent" | "latest" | "installed" | "removed";
  readonly update_cache: boolean;
  readonly autoremove: boolean;
  readonly cache_valid_time?: number | undefined;
  readonly install_recommends?: boolean | undefined;
  readonly purge?: boolean | undefined;
  readonly deb?: string | undefined;
  readonly enablerepo?: readonly string[] | undefined;
  readonly disablerepo?: readonly string[] | undefined;
}

/** The names of a parsed task: name, else its alias pkg. */
export const packageNames = (args: ParsedCommon): readonly string[] => args.name ?? args.pkg ?? [];

export function packageRequest(manager: Manager | undefined, args: ParsedCommon): PackageRequest {
  return {
    manager,
    names: packageNames(args),
    state: args.state === "installed" ? "present" : args.state === "removed" ? "absent" : args.state,
    updateCache: args.update_cache || (args.cache_valid_time ?? 0) > 0,
    cacheValidTime: args.cache_valid_time,
    installRecommends: args.install_recommends,
    purge: args.purge ?? false,
    autoremove: args.autoremove,
    deb: args.deb,
    enableRepos: args.enablerepo ?? [],
    disableRepos: args.disablerepo ?? [],
  };
}

/** Ansible's apt needs something to do: a package, a .deb, a cache update or an autoremove. */
export function needsSomethingToDo(args: ParsedCommon, ctx: z.RefinementCtx): void {
  if (packageNames(args).length === 0 && args.deb === undefined && !args.update_cache && args.cache_valid_time === undefined && !args.autoremove) {
    ctx.addIssue({ code: "custom", path: ["name"], message: "missing required argument 'name' (or deb, update_cache, autoremove)" });
  }
}
