/** apt: Debian packages with apt-get, in Ansible's arguments (name/pkg, update_cache, cache_valid_time, purge, deb...). */
import { z } from "zod";
import { defineModule } from "./types.js";
import { aptFields, aptState, commonPackageFields, needsSomethingToDo, packageRequest } from "./support/package-args.js";
import { packageFacts, planPackages } from "./support/package-plan.js";

const schema = z
  .strictObject({
    ...commonPackageFields,
    state: aptState,
    package: commonPackageFields.pkg,
    ...aptFields,
    deb: z.string().min(1).optional().describe("A .deb file on the host to install (with its dependencies) unless that version is installed."),
  })
  .superRefine(needsSomethingToDo)
  .transform(({ package: aliased, ...args }) => packageRequest("apt", { ...args, pkg: args.pkg ?? aliased }));

export const apt = defineModule({
  name: "apt",
  summary: "Install, upgrade or remove Debian packages with apt-get",
  example: ["- name: Web server", "  apt:", "    name: [nginx, curl]", "    update_cache: true", "    cache_valid_time: 3600"].join("\n"),
  schema,
  facts: packageFacts,
  plan: planPackages,
});
