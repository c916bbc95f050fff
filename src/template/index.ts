/** Templating (Handlebars) and the safe expression language for when/until. */
export { hasTemplate, renderString, renderValue } from "./render.js";
export { evaluateCondition, evaluateExpression } from "./expression.js";
export { isTruthy } from "./values.js";
