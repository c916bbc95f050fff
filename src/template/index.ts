/** Templating: Jinja2 as in Ansible (jinja/), Handlebars for *.hbs template files. */
export { evaluateCondition, evaluateExpression, hasTemplate, loopLookup, renderString, renderTemplateFile, renderValue } from "./render.js";
export { loopPosition } from "./loop-position.js";
export { isTruthy } from "./values.js";
