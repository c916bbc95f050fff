/**
 * A counter of in-place changes to host variables (a host's public variables, which other hosts
 * read as hostvars[name]). Whoever changes such an object calls `touch`, so views computed from
 * them (template/jinja/hostvars.ts) are computed again instead of serving stale values. One
 * counter for all hosts, because a host's templated variable may read another host's.
 */
let revision = 0;

export function touchHostVars(): void {
  revision++;
}

export function hostVarsRevision(): number {
  return revision;
}
