/**
 * `vars_prompt`: each play's prompted variables, asked for before the run starts (Ansible asks
 * at each play's start; runbook asks up front, so that preflight sees the answers) and added to
 * the play's vars. A name given with -e is not asked for. Without a terminal nothing is asked,
 * as in Ansible: a warning, and each variable takes its default (without one, the string "None":
 * Ansible makes its missing default a string).
 */
import type { Playbook, VarPrompt, Vars } from "../playbook/model.js";
import { promptLine, promptSecret } from "./prompt.js";

export interface Asker {
  ask(question: string, hidden: boolean): Promise<string>;
  say(text: string): void;
}

export const terminalAsker: Asker = {
  ask: (question, hidden) => (hidden ? promptSecret(question) : promptLine(question)),
  say: (text) => process.stderr.write(`${text}\n`),
};

/** The playbook with prompted answers in its plays' vars; `asker` undefined: not interactive. */
export async function answerPrompts(playbook: Playbook, extraVars: Vars, asker: Asker | undefined, warn: (message: string) => void): Promise<Playbook> {
  if (!playbook.plays.some((play) => (play.varsPrompt ?? []).length > 0)) return playbook;
  if (asker === undefined) warn("Not prompting as we are not in interactive mode");
  const plays = [];
  for (const play of playbook.plays) {
    const answers: Vars = {};
    for (const prompt of play.varsPrompt ?? []) {
      if (prompt.name in extraVars) continue;
      answers[prompt.name] = asker === undefined ? (prompt.default ?? "None") : await answer(prompt, asker);
    }
    plays.push(Object.keys(answers).length === 0 ? play : { ...play, vars: { ...play.vars, ...answers } });
  }
  return { ...playbook, plays };
}

/** Ansible's do_var_prompt: "prompt [default]: ", asked twice with confirm; empty takes the default. */
async function answer(prompt: VarPrompt, asker: Asker): Promise<string> {
  const text = prompt.prompt ?? `input for ${prompt.name}`;
  const question = prompt.default === undefined ? `${text}: ` : `${text} [${prompt.default}]: `;
  let result = await asker.ask(question, prompt.private);
  while (prompt.confirm) {
    const again = await asker.ask(`confirm ${question}`, prompt.private);
    if (again === result) break;
    asker.say("***** VALUES ENTERED DO NOT MATCH ****");
    result = await asker.ask(question, prompt.private);
  }
  return result === "" && prompt.default !== undefined ? prompt.default : result;
}
