import { describe, expect, it } from "vitest";
import { answerPrompts, type Asker } from "../../../src/cli/vars-prompt.js";
import type { Play, Playbook, VarPrompt } from "../../../src/playbook/model.js";

const where = { file: "site.yaml", line: 3, column: 7 };

function playbook(prompts: Partial<VarPrompt>[]): Playbook {
  const varsPrompt = prompts.map((prompt) => ({ name: "v", where, private: true, confirm: false, ...prompt }));
  return { file: "site.yaml", baseDir: ".", plays: [{ vars: { kept: 1 }, varsPrompt } as unknown as Play] };
}

function scripted(answers: string[]): Asker & { asked: string[]; said: string[] } {
  const asked: string[] = [];
  const said: string[] = [];
  return {
    asked,
    said,
    ask: (question) => {
      asked.push(question);
      return Promise.resolve(answers.shift() ?? "");
    },
    say: (text) => said.push(text),
  };
}

describe("vars_prompt answers", () => {
  it("without a terminal: warns once, takes defaults, the string None without one", async () => {
    const warnings: string[] = [];
    const result = await answerPrompts(playbook([{ name: "a", default: "1" }, { name: "b" }]), {}, undefined, (message) => warnings.push(message));
    expect(result.plays[0]?.vars).toEqual({ kept: 1, a: "1", b: "None" });
    expect(warnings).toEqual(["Not prompting as we are not in interactive mode"]);
  });

  it("asks as Ansible does, an empty answer taking the default, and skips names given with -e", async () => {
    const asker = scripted(["", "typed"]);
    const result = await answerPrompts(playbook([{ name: "a", prompt: "Release", default: "1" }, { name: "b" }, { name: "c" }]), { c: "extra" }, asker, () => undefined);
    expect(result.plays[0]?.vars).toEqual({ kept: 1, a: "1", b: "typed" });
    expect(asker.asked).toEqual(["Release [1]: ", "input for b: "]);
  });

  it("with confirm, asks again until two answers match", async () => {
    const asker = scripted(["x", "y", "z", "z"]);
    const result = await answerPrompts(playbook([{ name: "pw", prompt: "Password", confirm: true }]), {}, asker, () => undefined);
    expect(result.plays[0]?.vars).toMatchObject({ pw: "z" });
    expect(asker.asked).toEqual(["Password: ", "confirm Password: ", "Password: ", "confirm Password: "]);
    expect(asker.said).toEqual(["***** VALUES ENTERED DO NOT MATCH ****"]);
  });
});
