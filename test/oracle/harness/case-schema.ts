/**
 * An oracle case, as written in test/oracle/cases/*.yaml: the start state of one directory
 * (and, for account modules, of some local users and groups), one task, and the registered
 * values worth comparing. The expected outcome is never written down: real ansible-playbook
 * gives it.
 */
import { z } from "zod";

const mode = z.string().regex(/^[0-7]{3,4}$/, "a mode is an octal string like \"0644\"");
const owned = { mode: mode.optional(), owner: z.string().optional(), group: z.string().optional() };

/** Bytes that are not text (an archive), written as base64. */
const binary = z.strictObject({ base64: z.string() });
/** A regular file: its text, or text (or base64 bytes) plus mode and owners. */
const fileEntry = z.union([z.string(), z.strictObject({ content: z.string(), ...owned }), binary.extend(owned)]);
/** A directory (key ends in "/"): null or its mode and owners. */
const dirEntry = z.union([z.null(), z.strictObject(owned)]);
const linkEntry = z.strictObject({ link: z.string() });

export type FileEntry = z.infer<typeof fileEntry>;
export type DirEntry = z.infer<typeof dirEntry>;
export type LinkEntry = z.infer<typeof linkEntry>;
export type TreeEntry = FileEntry | DirEntry | LinkEntry;

const treeEntry = z.union([linkEntry, fileEntry, dirEntry]);

const startGroup = z.strictObject({ name: z.string().regex(/^rbo/), gid: z.number().int().min(20000) });
const startUser = z.strictObject({
  name: z.string().regex(/^rbo/),
  uid: z.number().int().min(20000),
  group: z.string().optional(),
  groups: z.array(z.string()).optional(),
  shell: z.string().optional(),
  /** As useradd -m: Ansible's user module makes a missing home even for an existing account. */
  create_home: z.boolean().default(true),
});

export const caseSchema = z.strictObject({
  /** Unique; its first word (before "/") is the module under test. */
  id: z.string().regex(/^[a-z_]+\/[a-z0-9][a-z0-9-]*$/, "ids look like module/what-it-tries"),
  /** What the case checks, in one line (documentation only). */
  about: z.string().optional(),
  /** The case directory's start state, paths relative to it ("sub/" is a directory). */
  tree: z.record(z.string(), treeEntry).default({}),
  /** Controller-side files (copy src, template src), reachable as "{{ c }}/NAME"; text, base64 bytes, or text with a mode. */
  files: z.record(z.string(), z.union([z.string(), binary, z.strictObject({ content: z.string(), mode })])).default({}),
  /** Local groups and users that exist before the task (names start with "rbo"). */
  groups: z.array(startGroup).default([]),
  users: z.array(startUser).default([]),
  /** The one task; "{{ d }}" is the case directory. */
  task: z.record(z.string(), z.unknown()),
  /** Registered values (dotted paths from r, e.g. r.stat.exists) to compare after the first run. */
  vars: z.array(z.string().regex(/^r(\.[A-Za-z0-9_]+)+$/)).default([]),
  /** Only the --check run is safe (package managers, services of the machine itself). */
  check_only: z.boolean().default(false),
});

export type OracleCase = z.infer<typeof caseSchema>;

export const caseFileSchema = z.array(caseSchema);
