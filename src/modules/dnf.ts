/** dnf: RPM packages with dnf, in Ansible's arguments (name/pkg, state, enablerepo, disablerepo, update_cache...). */
import { z } from "zod";
import { defineModule } from "./types.js";
import { commonPackageFields, packageRequest, repoFields } from "./support/package-args.js";
import { packageFacts, planPackages } from "./support/package-plan.js";

export const rpmPackageSchema = (manager: "dnf" | "yum") =>
  z
    .strictObject({ ...commonPackageFields, ...repoFields })
    .refine((args) => (args.name ?? args.pkg ?? []).length > 0 || args.update_cache, { message: "missing required argument 'name'", path: ["name"] })
    .transform((args) => packageRequest(manager, args));

export const dnf = defineModule({
  name: "dnf",
  summary: "Install, upgrade or remove RPM packages with dnf",
  example: ["- name: Web server", "  dnf:", "    name: nginx", "    state: latest", "    enablerepo: epel"].join("\n"),
  schema: rpmPackageSchema("dnf"),
  facts: packageFacts,
  plan: planPackages,
});
