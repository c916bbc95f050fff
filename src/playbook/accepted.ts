/**
 * Keywords runbook accepts for Ansible's sake and checks, though they change nothing here:
 * `collections:` (every module is built in, under its short and qualified names) and
 * `become_method:` (runbook becomes with sudo, so `sudo` is the one method it takes).
 */
import { child, describeValue, fail, type Cursor } from "./cursor.js";
import { present } from "./readers.js";

export function checkAcceptedKeywords(entry: Cursor): void {
  const collections = present(entry, "collections");
  if (collections !== undefined) {
    const value = collections.value;
    const names = typeof value === "string" ? [value] : value;
    if (!Array.isArray(names) || names.some((name) => typeof name !== "string")) {
      fail(collections, `collections must be a list of collection names, found ${describeValue(value)}`, "write e.g. collections: [ansible.posix]");
    }
  }
  const method = present(entry, "become_method");
  if (method !== undefined) {
    const value = method.value;
    if (typeof value !== "string" || (value !== "sudo" && !value.includes("{{"))) {
      fail(child(entry, "become_method"), `become_method ${describeValue(value)} is not supported`, "runbook becomes with sudo only: write become_method: sudo, or leave it out");
    }
  }
}
