/** The lab's programmatic API (tests and the CLI use it): real SSH test hosts on this machine. */
export { labUp, type LabInfo, type LabHostInfo, type LabUpOptions } from "./up.js";
export { labDown, labInUseElsewhere, labStatus, labExec, hostExecArgv, sshArgv, type LabStatus, type HostStatus } from "./manage.js";
export { labUnavailableReason } from "./preflight.js";
export { labPaths, DEFAULT_STATE_ROOT, type InitKind, type LabState } from "./state.js";
export type { ToolResult } from "./run.js";
