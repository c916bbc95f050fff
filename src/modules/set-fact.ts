/** set_fact: sets host variables from the task's (already templated) arguments. */
import { z } from "zod";
import { defineModule } from "./types.js";
import { ok } from "./support/plan.js";

const schema = z
  .record(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, "expected a variable name (letters, digits, _)"), z.unknown())
  .describe("Variable names and their values.");

export const setFact = defineModule({
  name: "set_fact",
  summary: "Set host variables for the rest of the play",
  example: ["- name: Remember the port", "  set_fact:", "    app_port: 8080", "    app_url: \"http://{{ inventory_hostname }}:8080\""].join("\n"),
  schema,
  local: true,
  plan: (args) => {
    // Ansible's 'cacheable' is an option, not a fact.
    const facts = Object.fromEntries(Object.entries(args).filter(([name]) => name !== "cacheable"));
    return ok(undefined, { setFacts: facts });
  },
});
