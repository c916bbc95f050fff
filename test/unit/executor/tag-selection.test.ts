import { describe, expect, it } from "vitest";
import { selectedByTags } from "../../../src/executor/tags.js";

// Each row checked against ansible-playbook 2.14 (keyword oracle tags.yaml runs these selections).
describe("selectedByTags (Ansible's Taggable.evaluate_tags)", () => {
  it.each([
    [[], [], [], true],
    [["never"], [], [], false],
    [["never", "x"], ["x"], [], true],
    [["always"], ["x"], [], true],
    [["always"], [], ["always"], false],
    [["a"], ["tagged"], [], true],
    [["never", "a"], ["tagged"], [], false],
    [[], ["untagged"], [], true],
    [["a"], ["untagged"], [], false],
    [["a"], ["all"], [], true],
    [["never"], ["all"], [], false],
    [["a"], [], ["tagged"], false],
    [[], [], ["untagged"], false],
    [["a"], ["a"], ["all"], false],
    [["always"], ["a"], ["all"], true],
    [["always"], ["a"], ["all", "always"], false],
    [["a", "b"], ["a"], ["b"], false],
  ])("task tags %j, --tags %j, --skip-tags %j: %s", (task, tags, skip, runs) => {
    expect(selectedByTags(task, tags, skip)).toBe(runs);
  });
});
