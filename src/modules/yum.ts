/** yum: RPM packages with yum, the same arguments as dnf. */
import { defineModule } from "./types.js";
import { rpmPackageSchema } from "./dnf.js";
import { packageFacts, planPackages } from "./support/package-plan.js";

export const yum = defineModule({
  name: "yum",
  summary: "Install, upgrade or remove RPM packages with yum",
  example: ["- name: Web server", "  yum:", "    pkg: httpd", "    state: present", "    disablerepo: '*'", "    enablerepo: base"].join("\n"),
  schema: rpmPackageSchema("yum"),
  facts: packageFacts,
  plan: planPackages,
});
