/**
 * wait_for: waits on the host until a port opens/closes or a path appears/disappears. One run
 * step holding a polling loop in POSIX sh; it changes nothing, so the plan is `ok` with that
 * step (check mode runs nothing).
 */
import { z } from "zod";
import { defineModule, type Plan } from "./types.js";
import { shScript } from "../transport/quote.js";
import { intArg } from "./support/schema.js";

const schema = z
  .strictObject({
    host: z.string().min(1).default("127.0.0.1").describe("Address to connect to, seen from the managed host."),
    port: intArg("TCP port to wait for.", 1, 65535).optional(),
    path: z.string().min(1).optional().describe("File to wait for, instead of a port."),
    state: z
      .enum(["started", "stopped", "present", "absent"])
      .default("started")
      .describe("started/present: wait until the port accepts connections or the path exists; stopped/absent: until it no longer does."),
    // numbers or digit strings: a template renders "{{ n }}" to text, as Ansible does
    timeout: intArg("Seconds to wait before failing.", 1).default(300),
    delay: intArg("Seconds to wait before the first check.", 0).default(0),
    sleep: intArg("Seconds between checks.", 1).default(1),
  })
  .refine((args) => (args.port === undefined) !== (args.path === undefined), { message: "give exactly one of 'port' or 'path'", path: ["port"] });

/*
 * check() succeeds when the thing is there. For a port: nc -z when installed, else bash's
 * /dev/tcp (plain sh has none), else python3; with none of them the step fails clearly.
 * $1 kind (port|path), $2 host, $3 port or path, $4 want (up|down), $5 timeout, $6 delay, $7 sleep.
 */
const SCRIPT = `
check() {
  if [ "$1" = path ]; then [ -e "$3" ]; return; fi
  if command -v nc >/dev/null 2>&1; then nc -z -w 2 "$2" "$3" >/dev/null 2>&1; return; fi
  if command -v bash >/dev/null 2>&1; then timeout 3 bash -c 'exec 3<>"/dev/tcp/$0/$1"' "$2" "$3" >/dev/null 2>&1; return; fi
  if command -v python3 >/dev/null 2>&1; then
    python3 -c 'import socket,sys; socket.create_connection((sys.argv[1], int(sys.argv[2])), 2).close()' "$2" "$3" >/dev/null 2>&1; return
  fi
  echo "wait_for: need nc, bash or python3 on the host to test a port" >&2; exit 2
}
sleep "$6"
end=$(( $(date +%s) + $5 ))
while :; do
  if check "$1" "$2" "$3"; then [ "$4" = up ] && exit 0; else [ "$4" = down ] && exit 0; fi
  if [ "$(date +%s)" -ge "$end" ]; then echo "wait_for: timed out after $5 s waiting for $3 to be $4" >&2; exit 1; fi
  sleep "$7"
done`.trim();

export const waitFor = defineModule({
  name: "wait_for",
  summary: "Wait until a port opens or closes, or a path appears or goes",
  example: ["- name: Wait for postgres", "  wait_for:", "    port: 5432", "    timeout: 60"].join("\n"),
  schema,
  readsOnly: true,
  plan: (args): Plan => {
    const kind = args.port !== undefined ? "port" : "path";
    const target = args.port !== undefined ? String(args.port) : (args.path ?? "");
    const want = args.state === "started" || args.state === "present" ? "up" : "down";
    const argv = shScript(SCRIPT, kind, args.host, target, want, String(args.timeout), String(args.delay), String(args.sleep));
    const what = kind === "port" ? `${args.host}:${target}` : target;
    return { kind: "ok", steps: [{ kind: "run", argv, describe: `wait up to ${args.timeout} s for ${what} to be ${want}` }] };
  },
});
