/**
 * package: installs, upgrades or removes OS packages with the host's manager (apt, dnf or yum):
 * the one in the facts, `use`, or, without facts, the one found on the host. As Ansible's package
 * passes its other arguments on to that manager's module, this takes theirs too.
 */
import { z } from "zod";
import { defineModule, type PlanContext } from "./types.js";
import { aptFields, commonPackageFields, needsSomethingToDo, packageRequest, repoFields } from "./support/package-args.js";
import { packageFacts, planPackages, type PackageRequest } from "./support/package-plan.js";
import { MANAGERS, type Manager } from "./support/packages.js";
import { fail } from "./support/plan.js";

const schema = z
  .strictObject({
    ...commonPackageFields,
    ...aptFields,
    ...repoFields,
    use: z.enum(["auto", ...MANAGERS]).default("auto").describe("The manager to use; auto: the host's (its facts, else found on the host)."),
  })
  .superRefine(needsSomethingToDo);

type PackageArgs = z.output<typeof schema>;

function requestOf(args: PackageArgs, ctx: PlanContext): PackageRequest {
  const known = args.use !== "auto" ? args.use : ctx.facts?.packageManager;
  const manager = (MANAGERS as readonly string[]).includes(known ?? "") ? (known as Manager) : undefined;
  return packageRequest(manager, args);
}

/** Arguments only the other managers' modules take, as their modules would refuse them. */
function foreignArgument(args: PackageArgs, request: PackageRequest): string | undefined {
  if (request.manager === undefined) return undefined;
  if (request.manager === "apt" && (args.state === "installed" || args.state === "removed")) return `state: ${args.state}`;
  if (request.manager === "apt") return args.enablerepo !== undefined ? "enablerepo" : args.disablerepo !== undefined ? "disablerepo" : undefined;
  return args.cache_valid_time !== undefined ? "cache_valid_time" : args.install_recommends !== undefined ? "install_recommends" : args.purge ? "purge" : undefined;
}

export const packageModule = defineModule({
  name: "package",
  summary: "Install, upgrade or remove packages with the host's manager (apt, dnf, yum)",
  example: ["- name: Web server", "  package:", "    name: [nginx, curl]", "    state: present"].join("\n"),
  schema,
  facts: (args, ctx) => packageFacts(requestOf(args, ctx), ctx),
  plan: (args, facts, ctx) => {
    const request = requestOf(args, ctx);
    const foreign = foreignArgument(args, request);
    if (foreign !== undefined) return fail(`'${foreign}' is not an argument of ${request.manager ?? "the host's manager"}`, "leave it out, or set use: to the manager it is for");
    return planPackages(request, facts);
  },
});
