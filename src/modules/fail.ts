/** fail: fails the host with a message; runs on the controller. */
import { z } from "zod";
import { defineModule } from "./types.js";
import { fail as failed } from "./support/plan.js";

const schema = z.strictObject({
  msg: z.string().default("Failed as requested from task").describe("Why the host fails."),
});

export const fail = defineModule({
  name: "fail",
  summary: "Fail the host with a message (usually with when:)",
  example: ["- name: Refuse old releases", "  fail:", "    msg: Debian 11 is not supported", '  when: ansible_distribution_major_version == "11"'].join("\n"),
  schema,
  local: true,
  plan: (args) => failed(args.msg),
});
