/** Argument pieces of the ovs_* modules' schemas. */
import { z } from "zod";

/** Interface types the ovs_* modules manage (ovs_port creates them, ovs_ports filters by them). */
export const OVS_PORT_TYPES = ["system", "internal", "vxlan", "geneve", "gre", "patch"] as const;

/** A map column (other_config, options): values may be written as numbers or booleans; OVS stores text. */
export function ovsMap(description: string) {
  return z
    .record(z.string().min(1), z.union([z.string(), z.number(), z.boolean()]))
    .transform((map) => Object.fromEntries(Object.entries(map).map(([key, value]) => [key, String(value)])))
    .describe(description);
}
