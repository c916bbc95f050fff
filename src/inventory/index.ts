/** The inventory's public surface: load sources, select hosts by pattern, read connection settings. */
export { loadInventories } from "./load.js";
export { listUnknownPatternParts, selectHosts } from "./patterns.js";
export { connectionSettings, proxyJumpFromArgs, type ConnectionSettings, type HostKeyChecking } from "./connection.js";
export type { Inventory, InventoryGroup, InventoryHost, Vars } from "./types.js";
