/**
 * runbook's templating, as Ansible's: Jinja2 (jinja/) for every "{{ }}"/"{% %}"/"{# #}" in
 * playbooks, roles, vars files and inventories, for conditions, and for template files; Handlebars
 * (handlebars.ts) only for template files named *.hbs.
 */
import { statSync } from "node:fs";
import { hostname, userInfo } from "node:os";
import { resolve } from "node:path";
import { pythonLiteral } from "../inventory/python-literal.js";
import type { SourceLocation } from "../errors.js";
import { renderHandlebars } from "./handlebars.js";
import { Engine } from "./jinja/engine.js";
import { pyStr } from "./jinja/python.js";
import { isPlainObject, isTruthy } from "./values.js";

type Vars = Readonly<Record<string, unknown>>;

/** Whether Ansible would template this text: it holds a Jinja2 start string. */
function isTemplateText(text: string): boolean {
  return text.includes("{{") || text.includes("{%") || text.includes("{#");
}

/** Whether `value` (text, or a list/dict holding text) holds a template that renderValue would render. */
export function hasTemplate(value: unknown): boolean {
  if (typeof value === "string") return isTemplateText(value);
  if (Array.isArray(value)) return value.some(hasTemplate);
  if (value !== null && typeof value === "object") return Object.values(value).some(hasTemplate);
  return false;
}

/** Renders Jinja2 `text` (whose first character is at `where`) to text; ParseError names file:line:column on any problem. */
export function renderString(text: string, vars: Vars, where: SourceLocation): string {
  if (!isTemplateText(text)) return text;
  return new Engine(vars, where).render(text);
}

/**
 * Ansible's conversion of a rendered value (ansible_eval_concat): text that reads as a Python
 * list, dict or boolean becomes one; anything else stays text (numbers too, as in Ansible).
 */
function converted(text: string): unknown {
  if (!(text.startsWith("{") || text.startsWith("[") || text === "True" || text === "False")) return text;
  return pythonLiteral(text)?.value ?? text;
}

/** Ansible's Templar.SINGLE_VAR: a text that is only "{{ name }}". */
const SINGLE_VAR = /^\{\{\s*(\w*)\s*\}\}$/;

/**
 * Ansible returns a bare "{{ name }}" as the variable itself when its value is a number, a
 * boolean (Templar's NON_TEMPLATED_TYPES) or null (None), so `port: "{{ base_port }}"` stays an int; a number
 * that an expression computes ("{{ n + 1 }}") or a templated variable yields is text.
 */
function untemplatedValue(text: string, vars: Vars): { readonly value: unknown } | undefined {
  const name = SINGLE_VAR.exec(text)?.[1];
  if (name === undefined || name === "") return undefined;
  // a getter is a variable whose raw value is a template (vars/lazy.ts): Ansible renders that one
  const value: unknown = Object.getOwnPropertyDescriptor(vars, name)?.value;
  return typeof value === "number" || typeof value === "boolean" || value === null ? { value } : undefined;
}

function renderText(text: string, vars: Vars, where: SourceLocation): unknown {
  const untemplated = untemplatedValue(text, vars);
  if (untemplated !== undefined) return untemplated.value;
  const engine = new Engine(vars, where);
  const single = engine.singleValue(text);
  if (single === undefined) return converted(engine.render(text));
  const { value } = single;
  if (Array.isArray(value) || isPlainObject(value) || typeof value === "boolean") return value;
  if (value === null) return "";
  return converted(pyStr(value));
}

/**
 * Renders every string inside `value` (objects and arrays walked, new ones returned) as Ansible
 * templates variables: a string that is one "{{ expression }}" keeps a list, dict or boolean
 * value; text that reads as a Python list or dict becomes one. Keys are not rendered.
 */
export function renderValue(value: unknown, vars: Vars, where: SourceLocation): unknown {
  if (typeof value === "string") return isTemplateText(value) ? renderText(value, vars, where) : value;
  if (Array.isArray(value)) return value.map((item) => renderValue(item, vars, where));
  if (typeof value === "object" && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, renderValue(item, vars, where)]));
  }
  return value;
}

/** The value of a bare Jinja2 expression (`groups['etcd'] | length > 1`). A "{{ x }}" is rendered first, as Ansible does. */
export function evaluateExpression(expr: string, vars: Vars, where: SourceLocation): unknown {
  if (isTemplateText(expr)) {
    const rendered = renderValue(expr, vars, where);
    if (typeof rendered !== "string" || rendered === "") return rendered;
    return new Engine(vars, where).expression(rendered);
  }
  return new Engine(vars, where).expression(expr);
}

/** The items of a `with_<lookup>:` loop: the lookup over its rendered terms, `subdir` for first_found. */
export function loopLookup(name: string, terms: readonly unknown[], vars: Vars, where: SourceLocation, subdir?: string): unknown[] {
  return new Engine(vars, where).lookup(name, terms, subdir);
}

/** A condition (when:, changed_when:, failed_when:, until:, assert's that:) with Python truthiness. */
export function evaluateCondition(expr: string | boolean, vars: Vars, where: SourceLocation): boolean {
  if (typeof expr === "boolean") return expr;
  return isTruthy(evaluateExpression(expr, vars, where));
}

/** The controller's user, asked once: userInfo() reads the user database (~50 us) and was asked twice per template per host. */
let userName: string | undefined;
function ownUserName(): string {
  userName ??= userInfo().username;
  return userName;
}

/** The template module's variables about the file (Ansible's generate_ansible_template_vars). */
function templateFileVars(file: string): Vars {
  const path = resolve(file);
  let mtime = new Date();
  let uid = ownUserName();
  try {
    const stat = statSync(path);
    mtime = stat.mtime;
    uid = stat.uid === process.getuid?.() ? ownUserName() : String(stat.uid);
  } catch {
    // a file that vanished after reading: keep the defaults
  }
  return {
    template_host: hostname(),
    template_path: file,
    template_fullpath: path,
    template_uid: uid,
    template_mtime: mtime.toISOString().replace("T", " ").replace(/\.\d+Z$/, ""),
    template_run_date: new Date().toISOString(),
    ansible_managed: "Ansible managed",
  };
}

/** A template file for the template module: Handlebars when it is named *.hbs, Jinja2 otherwise. */
export function renderTemplateFile(file: string, text: string, vars: Vars): string {
  const where = { file, line: 1, column: 1 };
  if (file.endsWith(".hbs")) return renderHandlebars(text, vars, where);
  const extra = templateFileVars(file);
  // two defineProperties, not one over a spread of both descriptor maps: V8's spread of a large
  // fresh object is slow (it was ~0.4 ms of every template file rendered at 40 variables)
  const withFileVars = Object.create(null) as object;
  Object.defineProperties(withFileVars, Object.getOwnPropertyDescriptors(Object.fromEntries(Object.entries(extra).filter(([key]) => !(key in vars)))));
  Object.defineProperties(withFileVars, Object.getOwnPropertyDescriptors(vars));
  return isTemplateText(text) ? new Engine(withFileVars as Vars, where, "python").render(text) : text;
}
