/**
 * JSON Schemas for editors (yaml-language-server) and `runbook schema`: playbooks, task files
 * and inventories. Module arguments come from each module's zod schema through the registry;
 * keywords from the loader's keyword lists. A module may be written with its own name or any
 * alias, with a mapping of arguments, a free-form `k=v` string, or nothing.
 */
import { getModule, moduleJsonSchema, moduleNames, modules } from "../modules/registry.js";
import {
  BLOCK_KEYWORDS,
  HANDLER_KEYWORDS,
  IMPORT_ROLE_KEYWORDS,
  IMPORT_TASKS_KEYWORDS,
  INCLUDE_KEYWORDS,
  NOT_ON_DYNAMIC_INCLUDE,
  META_KEYWORDS,
  PLAY_KEYWORDS,
  TASK_KEYWORDS,
} from "../playbook/keywords.js";
import { keywordProperties } from "./keyword-schemas.js";
import { mapping, templatedChildren, type JsonSchema } from "./json-schema.js";

export const SCHEMA_KINDS = ["playbook", "tasks", "handlers", "inventory"] as const;
export type SchemaKind = (typeof SCHEMA_KINDS)[number];

const DIALECT = "http://json-schema.org/draft-07/schema#";

export function editorSchema(kind: SchemaKind): JsonSchema {
  switch (kind) {
    case "playbook":
      return { $schema: DIALECT, title: "runbook playbook", type: "array", items: { $ref: "#/definitions/playEntry" }, definitions: definitions() };
    case "tasks":
      return { $schema: DIALECT, title: "runbook task file", type: "array", items: { $ref: "#/definitions/task" }, definitions: definitions() };
    case "handlers":
      return { $schema: DIALECT, title: "runbook handlers file", type: "array", items: { $ref: "#/definitions/handler" }, definitions: definitions() };
    case "inventory":
      return inventorySchema();
  }
}

function definitions(): Record<string, JsonSchema> {
  const defs: Record<string, JsonSchema> = {};
  for (const name of modules.keys()) defs[`module_${name}`] = moduleValue(name);
  const moduleProperties = Object.fromEntries(moduleNames().map((alias) => [alias, { $ref: `#/definitions/module_${getModule(alias)?.name ?? alias}` }]));
  const moduleKeys = Object.keys(moduleProperties);
  // One task entry: keywords of every kind (task, block, include, import, meta) plus any one module.
  const taskKeywords = new Set([...TASK_KEYWORDS, ...BLOCK_KEYWORDS, ...INCLUDE_KEYWORDS, ...IMPORT_TASKS_KEYWORDS, ...IMPORT_ROLE_KEYWORDS, ...META_KEYWORDS]);
  const actions = ["block", "include_tasks", "import_tasks", "import_role", "include_role", "meta", "action", "local_action", ...moduleKeys];
  const task = (keywords: ReadonlySet<string>, title: string, required = actions): JsonSchema => ({
    title,
    type: "object",
    properties: { ...keywordProperties(keywords), ...moduleProperties },
    additionalProperties: false,
    anyOf: required.map((action) => ({ required: [action] })),
    description: "A task needs one module (e.g. command:, copy:) or block, include_tasks, import_tasks, import_role or meta.",
  });
  // a dynamic include refuses most task keywords, as Ansible does (keywords.ts NOT_ON_DYNAMIC_INCLUDE)
  const refusedOnInclude = { not: { anyOf: [...NOT_ON_DYNAMIC_INCLUDE.keys()].map((key) => ({ required: [key] })) } };
  defs.task = { ...task(taskKeywords, "task"), if: { anyOf: [{ required: ["include_tasks"] }, { required: ["include_role"] }] }, then: refusedOnInclude };
  // handlers are single tasks: no blocks or imports
  defs.handler = task(new Set([...HANDLER_KEYWORDS, "meta"]), "handler", ["meta", "action", "local_action", ...moduleKeys]);
  defs.play = { title: "play", type: "object", properties: keywordProperties(PLAY_KEYWORDS), required: ["hosts"], additionalProperties: false };
  defs.importPlaybook = {
    title: "import_playbook",
    type: "object",
    properties: keywordProperties(["import_playbook", "name"]),
    required: ["import_playbook"],
    additionalProperties: false,
  };
  defs.playEntry = { anyOf: [{ $ref: "#/definitions/importPlaybook" }, { $ref: "#/definitions/play" }] };
  return defs;
}

/** A module's value in a task: its arguments, a free-form "k=v" string, or nothing. */
function moduleValue(name: string): JsonSchema {
  const definition = modules.get(name);
  const { $schema: _dialect, ...args } = moduleJsonSchema(name);
  return {
    description: definition?.summary,
    anyOf: [templatedChildren(args), { type: "string", description: "free-form: k=v words (or the command line)" }, { type: "null" }],
  };
}

/** Ansible's YAML inventory: groups with hosts, vars and children, under `all` or at the top. */
function inventorySchema(): JsonSchema {
  return {
    $schema: DIALECT,
    title: "runbook inventory (Ansible YAML format)",
    type: "object",
    additionalProperties: { $ref: "#/definitions/group" },
    definitions: {
      group: {
        anyOf: [
          { type: "null" },
          {
            type: "object",
            properties: {
              hosts: { type: ["object", "null"], additionalProperties: { anyOf: [{ type: "null" }, { $ref: "#/definitions/hostVars" }] } },
              vars: mapping,
              children: { type: ["object", "null"], additionalProperties: { $ref: "#/definitions/group" } },
            },
            additionalProperties: false,
          },
        ],
      },
      hostVars: {
        type: "object",
        properties: {
          ansible_host: { type: "string", description: "Address to connect to." },
          ansible_port: { type: ["integer", "string"], description: "SSH port." },
          ansible_user: { type: "string", description: "SSH user." },
          ansible_connection: { type: "string", enum: ["ssh", "local"] },
          ansible_ssh_private_key_file: { type: "string" },
          ansible_become: { type: ["boolean", "string"] },
          ansible_become_user: { type: "string" },
        },
      },
    },
  };
}
