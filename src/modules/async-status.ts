/** async_status: the state of a job started with `async:` and `poll: 0` (support/async-jobs.ts). */
import { z } from "zod";
import { defineModule, type Fact } from "./types.js";
import { cleanupStep, isJobId, parseStatus, statusProbe, type JobState } from "./support/async-jobs.js";
import { change, fail, ok } from "./support/plan.js";
import { ProbeError } from "./support/probe-error.js";

const schema = z.strictObject({
  jid: z
    .string()
    .min(1)
    .refine(isJobId, { message: "must be a job id such as j123456789012.4242 (the ansible_job_id of the task that started it)" })
    .describe("The job's id: the `ansible_job_id` registered by the task with `async:` and `poll: 0`."),
  mode: z.enum(["status", "cleanup"]).default("status").describe("status: read the job; cleanup: remove its results from the host."),
});

function jobFact(jid: string): Fact<JobState> {
  return {
    ...statusProbe(jid),
    parse: (result) => {
      try {
        return parseStatus(result);
      } catch (error) {
        throw new ProbeError((error as Error).message);
      }
    },
  };
}

const lines = (text: string): string[] => (text === "" ? [] : text.replace(/\n$/, "").split("\n"));

export const asyncStatus = defineModule({
  name: "async_status",
  summary: "Read (or clean up) an async job started with `async:` and `poll: 0`",
  example: [
    "- name: Start the long download",
    "  command: /usr/local/bin/fetch-images",
    "  async: 600",
    "  poll: 0",
    "  register: download",
    "- name: Wait for it",
    "  async_status:",
    '    jid: "{{ download.ansible_job_id }}"',
    "  register: job",
    "  until: job.finished",
    "  retries: 60",
    "  delay: 10",
  ].join("\n"),
  schema,
  readsOnly: true,
  facts: (args) => ({ job: jobFact(args.jid) }),
  plan: (args, { job }) => {
    const ids = { ansible_job_id: args.jid, results_file: job.resultsFile };
    const noOutput = { stdout: "", stderr: "", stdout_lines: [], stderr_lines: [] };
    if (args.mode === "cleanup") {
      // as Ansible: the files go, and nothing is said to have changed
      const data = { ansible_job_id: args.jid, erased: job.resultsFile, started: 0, finished: 0, ...noOutput };
      return job.kind === "absent" ? ok(undefined, { data }) : { kind: "ok", steps: [cleanupStep(args.jid)], data };
    }
    if (job.kind === "absent") return fail("could not find job", undefined, { ...ids, started: 1, finished: 1, ...noOutput });
    if (job.kind === "running") return ok(undefined, { data: { ...ids, started: 1, finished: 0, ...noOutput } });
    const output = { rc: job.rc, stdout: job.stdout.replace(/\n$/, ""), stderr: job.stderr.replace(/\n$/, ""), stdout_lines: lines(job.stdout), stderr_lines: lines(job.stderr) };
    const data = { ...job.meta?.data, ...ids, started: 1, finished: 1, ...output };
    if (job.timedOut) return fail(`Job reached maximum time limit of ${job.meta?.limitSeconds ?? "its"} seconds.`, "raise the task's `async:` seconds", { ...data, rc: undefined });
    // the job's command ran and failed: changed as well as failed, as Ansible's result says
    if (job.failedStep !== undefined) return fail("non-zero return code", job.meta?.commands[job.failedStep], { ...data, changed: job.meta?.changed !== false });
    const msg = job.meta?.msg ?? "";
    // the job's own verdict: a change ran (command, a package install) or nothing was needed
    return job.meta?.changed === false ? ok(msg, { data: { ...data, msg } }) : change([], msg, undefined, { data: { ...data, msg } });
  },
});
