/**
 * uri: an HTTP request from the host (curl; for reads, Python's urllib where the host has no
 * curl), its status checked and its answer registered.
 *
 * GET and HEAD only read, so the request is a fact and the whole answer (status, headers,
 * content, json) is registered. Other methods change the server: they run as a step, once,
 * never read ahead; the step fails on a status outside status_code and registers the body as
 * stdout (a step's output cannot become registered fields yet: see the report of issue 12); in
 * --check they are not sent, and the task is skipped, as Ansible's uri.
 */
import { z } from "zod";
import { defineModule, type Fact, type Plan } from "./types.js";
import { fail, ok, skip } from "./support/plan.js";
import { ProbeError } from "./support/probe-error.js";
import { boolish, intArg } from "./support/schema.js";
import { shScript } from "../transport/quote.js";

const statusList = z
  .union([z.number().int(), z.string().regex(/^\d+$/), z.array(z.union([z.number().int(), z.string().regex(/^\d+$/)]))])
  .transform((value) => (Array.isArray(value) ? value : [value]).map(Number));

const schema = z.strictObject({
  url: z.string().regex(/^(https?|file):\/\//, "expected an http://, https:// or file:// URL").describe("The URL to request, from the host."),
  method: z.string().regex(/^[A-Z]+$/, "expected an HTTP method in capitals (GET, POST, ...)").default("GET").describe("The HTTP method."),
  body: z.unknown().optional().describe("The request body: text, or with body_format json any value."),
  body_format: z.enum(["raw", "json"]).default("raw").describe("json: send body as JSON with Content-Type application/json."),
  status_code: statusList.default([200]).describe("Statuses that count as success (a number or a list)."),
  return_content: boolish("Register the body as `content` (JSON answers are always registered as `json`).").default(false),
  headers: z.record(z.string(), z.union([z.string(), z.number()]).transform(String)).default({}).describe("Request headers."),
  timeout: intArg("Seconds the request may take.", 1).default(30),
  follow_redirects: z.enum(["all", "safe", "none", "yes", "no"]).default("safe").describe("Which redirects to follow (safe: only for GET and HEAD)."),
  validate_certs: boolish("Check the server's TLS certificate.").default(true),
});

type UriArgs = z.output<typeof schema>;

const READS = new Set(["GET", "HEAD"]);

function bodyText(args: UriArgs): string | undefined {
  if (args.body === undefined) return undefined;
  if (args.body_format === "json") return JSON.stringify(args.body);
  return typeof args.body === "string" ? args.body : JSON.stringify(args.body);
}

function followsRedirects(args: UriArgs): boolean {
  return args.follow_redirects === "all" || args.follow_redirects === "yes" || (args.follow_redirects === "safe" && READS.has(args.method));
}

function requestHeaders(args: UriArgs): Record<string, string> {
  return { ...(args.body_format === "json" && args.body !== undefined ? { "Content-Type": "application/json" } : {}), ...args.headers };
}

function curlArgv(args: UriArgs): string[] {
  const follow = followsRedirects(args);
  const headers = requestHeaders(args);
  const words = ["curl", "-sS", "--max-time", String(args.timeout), ...(follow ? ["-L"] : []), ...(args.validate_certs ? [] : ["-k"])];
  words.push(...(args.method === "HEAD" ? ["-I"] : ["-X", args.method]));
  for (const [name, value] of Object.entries(headers)) words.push("-H", `${name}: ${value}`);
  const body = bodyText(args);
  if (body !== undefined) words.push("--data-binary", body);
  return words;
}

/**
 * The read for a host without curl (a minimal Debian has none; Ansible's uri needs only Python):
 * the same request with Python's urllib, printing what REQUEST prints. argv: url, then the
 * request as JSON (method, headers, timeout, follow, verify). A refused redirect is its answer.
 */
const PYTHON_REQUEST = [
  "import base64, json, ssl, sys, urllib.error, urllib.request",
  "url, spec = sys.argv[1], json.loads(sys.argv[2])",
  "class Stay(urllib.request.HTTPRedirectHandler):",
  "    def redirect_request(self, *args, **kwargs):",
  "        return None",
  "context = ssl.create_default_context()",
  "if not spec['verify']:",
  "    context.check_hostname = False",
  "    context.verify_mode = ssl.CERT_NONE",
  "handlers = [urllib.request.HTTPSHandler(context=context)] + ([] if spec['follow'] else [Stay()])",
  "request = urllib.request.Request(url, method=spec['method'], headers=spec['headers'])",
  "try:",
  "    answer = urllib.request.build_opener(*handlers).open(request, timeout=spec['timeout'])",
  "except urllib.error.HTTPError as error:",
  "    answer = error",
  "except Exception as error:",
  "    sys.stderr.write('%s\\n' % error)",
  "    sys.exit(90)",
  "body = answer.read()",
  "print('status %s %s' % (answer.getcode() or 0, answer.geturl()))",
  "for name, value in answer.headers.items():",
  "    print('H %s: %s' % (name, value))",
  "print('body')",
  "sys.stdout.write(base64.b64encode(body).decode())",
].join("\n");

function pythonSpec(args: UriArgs): string {
  return JSON.stringify({ method: args.method, headers: requestHeaders(args), timeout: args.timeout, follow: followsRedirects(args), verify: args.validate_certs });
}

// $1 url, $2 Python's program and $3 its request (used when the host has no curl), then curl's words.
// Output: "status CODE EFFECTIVE-URL", the headers "H ...", then "body" and its base64.
const REQUEST = [
  'url="$1"; py="$2"; spec="$3"; shift 3',
  'if ! command -v curl >/dev/null 2>&1 && command -v python3 >/dev/null 2>&1; then exec python3 -c "$py" "$url" "$spec"; fi',
  'h=$(mktemp) && b=$(mktemp) || exit 91; trap \'rm -f "$h" "$b"\' EXIT',
  'out=$("$@" -D "$h" -o "$b" -w "%{http_code} %{url_effective}" -- "$url") || exit 90',
  'printf "status %s\\n" "$out"; tr -d "\\r" < "$h" | sed "s/^/H /"; echo body; base64 -w0 < "$b"',
].join("\n");

export interface UriAnswer {
  readonly status: number;
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: Buffer;
}

export type UriResult = { readonly kind: "answer"; readonly answer: UriAnswer } | { readonly kind: "error"; readonly message: string };

export function parseUriAnswer(stdout: string): UriAnswer {
  const bodyAt = stdout.indexOf("\nbody\n");
  const head = (bodyAt < 0 ? stdout : stdout.slice(0, bodyAt)).split("\n");
  const status = /^status (\d+) (.*)$/.exec(head[0] ?? "");
  if (status === null || bodyAt < 0) throw new ProbeError(`unexpected output from curl: ${stdout.slice(0, 80)}`);
  const headers: Record<string, string> = {};
  for (const line of head.slice(1)) {
    const header = /^H ([^:\s]+):\s*(.*)$/.exec(line);
    if (header !== null) headers[(header[1] ?? "").toLowerCase().replaceAll("-", "_")] = header[2] ?? "";
  }
  return { status: Number(status[1]), url: status[2] ?? "", headers, body: Buffer.from(stdout.slice(bodyAt + 6).trim(), "base64") };
}

function requestFact(args: UriArgs): Fact<UriResult> {
  return {
    argv: shScript(REQUEST, args.url, PYTHON_REQUEST, pythonSpec(args), ...curlArgv(args)),
    parse: (result) => {
      if (result.rc === 90) return { kind: "error", message: `Status code was -1 and not ${JSON.stringify(args.status_code)}: Request failed: ${result.stderr.trim()}` };
      if (result.rc !== 0) throw new ProbeError(`cannot make the request: ${result.stderr.trim() || `exit ${result.rc}`}`);
      return { kind: "answer", answer: parseUriAnswer(result.stdout) };
    },
  };
}

/** The registered fields, in Ansible's names: the status, url, the headers (lowercased, '_' for '-'), content and json. */
function registered(args: UriArgs, answer: UriAnswer): Record<string, unknown> {
  // file:// answers have no Content-Type from curl; Python guesses it from the name
  const type = answer.headers["content_type"] ?? (args.url.startsWith("file:") && args.url.endsWith(".json") ? "application/json" : "");
  const status = args.url.startsWith("file:") ? 200 : answer.status;
  const data: Record<string, unknown> = { ...answer.headers, status, url: args.url, redirected: answer.url !== "" && answer.url !== args.url, msg: `OK (${answer.body.length} bytes)` };
  const text = answer.body.toString("utf8");
  const json = /[/+]json\b/.test(type);
  if (args.return_content || json || !args.status_code.includes(status)) data["content"] = text;
  if (json) {
    try {
      data["json"] = JSON.parse(text);
    } catch {
      // Ansible leaves json out of an answer that is not JSON after all
    }
  }
  return data;
}

function planRead(args: UriArgs, result: UriResult): Plan {
  if (result.kind === "error") return fail(result.message);
  const data = registered(args, result.answer);
  const status = data["status"] as number;
  if (!args.status_code.includes(status)) return fail(`Status code was ${status} and not ${JSON.stringify(args.status_code)}`, undefined, data);
  return ok(data["msg"] as string, { data });
}

// $1 url, $2 the wanted statuses (space-separated), then curl's words: the body is printed, a status outside the list fails
const SEND = [
  'url="$1"; want=" $2 "; shift 2',
  'b=$(mktemp) || exit 91; trap \'rm -f "$b"\' EXIT',
  'code=$("$@" -o "$b" -w "%{http_code}" -- "$url") || exit $?',
  'cat "$b"',
  'case "$want" in *" $code "*) ;; *) echo "Status code was $code and not [$2]" >&2; exit 1;; esac',
].join("\n");

export const uri = defineModule({
  name: "uri",
  summary: "Make an HTTP request from the host and check its status (GET answers are registered)",
  example: ["- name: API is up", "  uri:", "    url: http://127.0.0.1:8080/healthz", "    status_code: 200", "  register: health", "  until: health.status == 200", "  retries: 10"].join("\n"),
  schema,
  facts: (args) => ({ request: READS.has(args.method) ? requestFact(args) : undefined }),
  plan: (args, facts, ctx) => {
    if (facts.request !== undefined) return planRead(args, facts.request);
    // a request that may change the server is not sent in --check: skipped, as Ansible's uri
    if (ctx.check) return skip(`${args.method} ${args.url} is not sent in check mode`);
    const step = { kind: "run" as const, argv: shScript(SEND, args.url, args.status_code.join(" "), ...curlArgv(args)), describe: `${args.method} ${args.url}` };
    // Ansible's uri reports ok for any method; the request still has to run, once
    return { kind: "ok", msg: `${args.method} ${args.url}`, steps: [step] };
  },
});
