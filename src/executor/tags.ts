/**
 * Ansible's tag selection: with --tags, a task runs when it has one of them (or `always`);
 * `all` selects everything, `tagged`/`untagged` select by having tags at all; --skip-tags wins;
 * a task tagged `never` runs only when one of its tags is asked for by name.
 */
export function selectedByTags(taskTags: readonly string[], tags: readonly string[], skipTags: readonly string[]): boolean {
  const has = (tag: string): boolean => taskTags.includes(tag);
  if (skipTags.some((tag) => has(tag) || (tag === "tagged" && taskTags.length > 0) || (tag === "untagged" && taskTags.length === 0))) {
    return false;
  }
  if (tags.length === 0 || tags.includes("all")) {
    return !has("never");
  }
  if (has("always")) return true;
  return tags.some((tag) => has(tag) || (tag === "tagged" && taskTags.length > 0) || (tag === "untagged" && taskTags.length === 0));
}
