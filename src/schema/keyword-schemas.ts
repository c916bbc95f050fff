/**
 * What each playbook keyword takes, for the editor schema. The keyword lists themselves come
 * from the loader (playbook/keywords.ts); `keywordProperties` fails loudly when a keyword
 * there has no entry here, so the two cannot drift apart unnoticed (a unit test builds them).
 */
import { META_ACTIONS } from "../playbook/keywords.js";
import { boolish, boolWords, conditions, described, mapping, stringOrList, TEMPLATE, type JsonSchema } from "./json-schema.js";

const TASKS_REF: JsonSchema = { type: "array", items: { $ref: "#/definitions/task" } };
const HANDLERS_REF: JsonSchema = { type: "array", items: { $ref: "#/definitions/handler" } };
const batchSize: JsonSchema = { anyOf: [{ type: "integer", minimum: 1 }, { type: "string", pattern: "^\\s*([1-9][0-9]*|[0-9]+(\\.[0-9]+)?%)\\s*$" }] };
const loopValue: JsonSchema = { anyOf: [{ type: "array" }, TEMPLATE] };
const count: JsonSchema = { anyOf: [{ type: "integer", minimum: 0 }, TEMPLATE] };
const apply: JsonSchema = { type: "object", description: "Keywords the included tasks inherit (tags, become, ...), as a block around them." };
const fileArgument: JsonSchema = {
  anyOf: [{ type: "string" }, { type: "object", properties: { file: { type: "string" } }, required: ["file"], additionalProperties: false }],
};
const includeFileArgument: JsonSchema = {
  anyOf: [{ type: "string" }, { type: "object", properties: { file: { type: "string" }, apply }, required: ["file"], additionalProperties: false }],
};
const roleFiles = { tasks_from: { type: "string" }, vars_from: { type: "string" }, defaults_from: { type: "string" }, handlers_from: { type: "string" } };
const roleArgument: JsonSchema = {
  anyOf: [{ type: "string" }, { type: "object", properties: { name: { type: "string" }, ...roleFiles }, required: ["name"], additionalProperties: false }],
};
const includeRoleArgument: JsonSchema = {
  anyOf: [{ type: "string" }, { type: "object", properties: { name: { type: "string" }, ...roleFiles, apply }, required: ["name"], additionalProperties: false }],
};
const varsPrompt: JsonSchema = {
  type: "array",
  items: {
    type: "object",
    properties: { name: { type: "string" }, prompt: { type: "string" }, default: {}, private: boolish, confirm: boolish, unsafe: boolish },
    required: ["name"],
    additionalProperties: false,
  },
};
const roleEntry: JsonSchema = {
  anyOf: [
    { type: "string" },
    {
      type: "object",
      properties: { role: { type: "string" }, name: { type: "string" }, tags: stringOrList, when: conditions, vars: mapping },
      // any other key is a role parameter, as in Ansible
      additionalProperties: true,
    },
  ],
};

/** A boolean keyword Ansible templates: true/false words, or a "{{ template }}" rendered per host. */
const flag: JsonSchema = { anyOf: [boolWords, { type: "string", pattern: "\\{\\{" }] };
const anyValue: JsonSchema = {};

const KEYWORD_SCHEMAS: Readonly<Record<string, JsonSchema>> = {
  name: described("A name for the report.", { type: "string" }),
  when: described("Run only when this expression holds (a list: all must hold).", conditions),
  tags: described("Tags for --tags/--skip-tags: a list, or one string with commas.", stringOrList),
  become: described("Run as another user with sudo (a template is rendered per host).", flag),
  become_user: described("The user to become (default root).", { type: "string" }),
  remote_user: described("Log in as this user (a template is rendered per host); the inventory's ansible_user wins over it, as in Ansible.", { type: "string" }),
  connection: described("local: run on the controller; ssh (smart, paramiko: ssh too). The inventory's ansible_connection wins over it.", { anyOf: [{ type: "string", enum: ["local", "ssh", "smart", "paramiko"] }, { type: "string", pattern: "\\{\\{" }] }),
  vars: described("Variables for this scope.", mapping),
  ignore_errors: described("Count a failure as ok and go on (a template is rendered per host).", flag),
  ignore_unreachable: described("An unreachable host stays in the play.", boolish),
  throttle: described("At most this many hosts run the task at once.", { type: "integer", minimum: 1 }),
  async: described("Run the task as a job on the host with this time limit in seconds (with poll: 0, leave it running; async_status reads it).", { type: "integer", minimum: 0 }),
  poll: described("Seconds between checks of an async job (default 15); 0 starts it and goes on.", { type: "integer", minimum: 0 }),
  timeout: described("Stop and fail the task after this many seconds.", { type: "integer", minimum: 0 }),
  action: described("The module in Ansible's older form: 'copy src=a dest=b' or {module: copy, src: a, dest: b}.", { anyOf: [{ type: "string" }, { type: "object", properties: { module: { type: "string" } }, required: ["module"] }] }),
  local_action: described("Like action, run on the controller (delegate_to: localhost).", { anyOf: [{ type: "string" }, { type: "object", properties: { module: { type: "string" } }, required: ["module"] }] }),
  collections: described("Accepted for Ansible's sake: every module is built in, under its short and qualified names.", stringOrList),
  become_method: described("How to become: runbook becomes with sudo only.", { type: "string", enum: ["sudo"] }),
  diff: described("true: show this task's diffs without --diff; false: hide them even with it.", boolish),
  force_handlers: described("A host that failed still runs the handlers it notified.", boolish),
  include: described("Ansible's old include (deprecated): static for a plain file, dynamic when templated or looped.", { type: "string" }),
  static: described("With the old include: true reads the file now, false when reached.", boolish),
  no_log: described("Hide arguments and results in every report.", boolish),
  check_mode: described("true: only plan this task, even without --check; false: run it for real, even with --check.", flag),
  run_once: described("Run on the first host of the batch only.", flag),
  delegate_to: described("Run on this host instead.", { type: "string" }),
  loop: described("Run once per item (the item is `item`).", loopValue),
  with_items: described("Ansible's older loop: like loop, with nested lists flattened one level.", loopValue),
  with_list: described("Ansible's older loop: like loop.", loopValue),
  with_dict: described("Loop over a mapping's {key, value} pairs.", anyValue),
  with_fileglob: described("Loop over the controller files matching these patterns.", anyValue),
  with_first_found: described("The first file found of these names (or {files, paths, skip}).", anyValue),
  with_subelements: described("[list of mappings, 'key'] -> each mapping with each item of its list.", anyValue),
  with_nested: described("Every combination of these lists.", anyValue),
  with_together: described("These lists side by side.", anyValue),
  with_sequence: described("Numbers: 'start=1 end=5 format=web%02d', 'count=3' or '1-5/2'.", anyValue),
  with_indexed_items: described("[index, item] for each item (flattened one level).", anyValue),
  with_lines: described("Each line of the commands' output (on the controller).", anyValue),
  loop_control: described("Loop settings.", {
    type: "object",
    properties: { loop_var: { type: "string" }, label: { type: "string" }, index_var: { type: "string" }, pause: { type: "number", minimum: 0 }, extended: boolish },
    additionalProperties: false,
  }),
  register: described("Save the result in this variable.", { type: "string", pattern: "^[A-Za-z_][A-Za-z0-9_]*$" }),
  notify: described("Handlers to run at the end of the play when the task changed something.", stringOrList),
  changed_when: described("Decides 'changed' instead of the module.", conditions),
  failed_when: described("Decides 'failed' instead of the module.", conditions),
  until: described("Retry until this holds.", conditions),
  retries: described("How many times `until` retries.", count),
  delay: described("Seconds between retries.", count),
  environment: described("Environment variables for the module's commands (on a play: for every task, under the task's own).", { anyOf: [{ type: "object", additionalProperties: { type: ["string", "number", "boolean"] } }, TEMPLATE] }),
  module_defaults: described("Arguments every task of a module gets unless it gives them (keys: module names, short or qualified).", { anyOf: [{ type: "object", additionalProperties: mapping }, { type: "array", items: { type: "object", additionalProperties: mapping } }] }),
  order: described("The order the play takes its hosts in.", { type: "string", enum: ["inventory", "reverse_inventory", "sorted", "reverse_sorted", "shuffle"] }),
  vars_prompt: described("Variables asked for before the run (without a terminal: their defaults).", varsPrompt),
  args: described("Module arguments, merged under the module's own.", mapping),
  listen: described("Topics this handler also answers to in notify.", stringOrList),
  block: described("Tasks run in order as a group.", TASKS_REF),
  rescue: described("Tasks run when a task in the block failed.", TASKS_REF),
  always: described("Tasks run after the block, whatever happened.", TASKS_REF),
  include_tasks: described("A tasks file read when reached, per host (may be templated); a task of its own for --tags.", includeFileArgument),
  import_tasks: described("A tasks file inlined at load time.", fileArgument),
  import_role: described("A role's tasks inlined here.", roleArgument),
  include_role: described("A role's tasks, run when reached (once per item with a loop); a task of its own for --tags.", includeRoleArgument),
  meta: described("An action on the play's run.", { type: "string", enum: [...META_ACTIONS] }),
  hosts: described("Host pattern: names, groups, globs, a:b, &x, !x.", {
    anyOf: [{ type: "string", minLength: 1 }, { type: "array", minItems: 1, items: { type: "string" } }],
  }),
  gather_facts: described("Gather facts before the first task.", boolish),
  vars_files: described("Variable files, loaded in order.", stringOrList),
  roles: described("Roles to run before the tasks.", { type: "array", items: roleEntry }),
  pre_tasks: described("Tasks run before the roles.", TASKS_REF),
  tasks: described("The play's tasks.", TASKS_REF),
  post_tasks: described("Tasks run after tasks (and their handlers).", TASKS_REF),
  handlers: described("Tasks run when notified.", HANDLERS_REF),
  serial: described("Hosts per batch: a count, a percentage, or a list of them.", {
    anyOf: [batchSize, { type: "array", items: batchSize }],
  }),
  strategy: described("linear: hosts in lockstep per task; free: each host runs ahead.", { type: "string", enum: ["linear", "free"] }),
  any_errors_fatal: described("One failed host stops the play for all.", flag),
  max_fail_percentage: described("Stop the play when more hosts than this fail.", { type: "number", minimum: 0, maximum: 100 }),
  import_playbook: described("Another playbook's plays, inlined here.", { type: "string" }),
};

/** The properties for a set of keywords, each described; an unknown keyword is a programming error. */
export function keywordProperties(keywords: Iterable<string>): Record<string, JsonSchema> {
  const properties: Record<string, JsonSchema> = {};
  for (const keyword of keywords) {
    const schema = KEYWORD_SCHEMAS[keyword];
    if (schema === undefined) throw new Error(`no editor schema for the keyword '${keyword}' (add it to schema/keyword-schemas.ts)`);
    properties[keyword] = schema;
  }
  return properties;
}
