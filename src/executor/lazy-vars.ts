/**
 * Variables are templated when used, as in Ansible: with `conf: "{{ app_dir }}/app.conf"` in play
 * vars (or inventory, role, block, task or -e vars), `{{ conf }}` in a task prints the path with
 * the task's own `app_dir`. Each such string becomes a getter that renders it in the same scope
 * on first read and keeps the result. Facts, registered results and set_fact values are data,
 * never templated again (a command's output may well contain "{{").
 */
import { RunbookError, type SourceLocation } from "../errors.js";
import type { Vars } from "../playbook/model.js";
import { renderValue } from "../template/index.js";

/**
 * A copy of `vars` in which the strings holding "{{" that came from `authored` (the layers a
 * person wrote) render lazily. `where` locates errors: the task being run.
 */
export function withLazyTemplates(vars: Vars, authored: Vars, where: SourceLocation): Vars {
  const scope: Vars = {};
  for (const [key, value] of Object.entries(vars)) {
    const templated = typeof value === "string" && value.includes("{{") && authored[key] === value;
    if (templated) defineLazy(scope, key, value, where);
    else scope[key] = value;
  }
  return scope;
}

function defineLazy(scope: Vars, key: string, text: string, where: SourceLocation): void {
  let rendering = false;
  Object.defineProperty(scope, key, {
    enumerable: true,
    configurable: true,
    get(): unknown {
      if (rendering) {
        throw new RunbookError("runtime", `variable '${key}' needs its own value to be templated: '${text}'`, {
          location: where,
          hint: "a variable cannot be defined in terms of itself; give the base value another name",
        });
      }
      rendering = true;
      try {
        const value = renderValue(text, scope, where);
        // later reads see the rendered value (a plain data property now)
        Object.defineProperty(scope, key, { value, enumerable: true, configurable: true, writable: true });
        return value;
      } finally {
        rendering = false;
      }
    },
  });
}
