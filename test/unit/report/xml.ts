/**
 * A small strict XML reader for tests: checks well-formedness (one root, tags nest and close,
 * attributes quoted, entities known) and returns the element tree.
 */
export interface XmlElement {
  readonly name: string;
  readonly attributes: Record<string, string>;
  readonly children: XmlElement[];
  text: string;
}

const ENTITIES: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'" };

function decode(text: string): string {
  return text.replace(/&(#\d+|#x[0-9a-f]+|\w+);|&/gi, (whole: string, entity: string | undefined) => {
    if (entity === undefined) throw new Error(`bare '&' in ${JSON.stringify(text)}`);
    if (entity.startsWith("#x")) return String.fromCodePoint(parseInt(entity.slice(2), 16));
    if (entity.startsWith("#")) return String.fromCodePoint(Number(entity.slice(1)));
    const value = ENTITIES[entity];
    if (value === undefined) throw new Error(`unknown entity ${whole}`);
    return value;
  });
}

export function parseXml(source: string): XmlElement {
  const body = source.replace(/^<\?xml[^?]*\?>\s*/, "");
  const token = /<\/([\w:-]+)\s*>|<([\w:-]+)((?:\s+[\w:-]+="[^"<]*")*)\s*(\/?)>|([^<]+)/gy;
  const stack: XmlElement[] = [];
  let root: XmlElement | undefined;
  let match: RegExpExecArray | null;
  let position = 0;
  while ((match = token.exec(body)) !== null) {
    position = token.lastIndex;
    const [, close, open, attributeText, selfClose, text] = match;
    if (text !== undefined) {
      const parent = stack.at(-1);
      if (parent === undefined) {
        if (text.trim() !== "") throw new Error("text outside the root element");
      } else parent.text += decode(text);
    } else if (close !== undefined) {
      const top = stack.pop();
      if (top?.name !== close) throw new Error(`</${close}> closes <${top?.name ?? "nothing"}>`);
    } else if (open !== undefined) {
      const attributes: Record<string, string> = {};
      for (const [, key, value] of (attributeText ?? "").matchAll(/([\w:-]+)="([^"]*)"/g)) {
        if (key === undefined || key in attributes) throw new Error(`duplicate attribute ${key ?? ""}`);
        attributes[key] = decode(value ?? "");
      }
      const element: XmlElement = { name: open, attributes, children: [], text: "" };
      const parent = stack.at(-1);
      if (parent) parent.children.push(element);
      else if (root === undefined) root = element;
      else throw new Error("more than one root element");
      if (selfClose !== "/") stack.push(element);
    }
  }
  if (position !== body.length) throw new Error(`not XML at offset ${position}: ${body.slice(position, position + 40)}`);
  if (stack.length > 0) throw new Error(`<${stack.at(-1)?.name ?? ""}> is never closed`);
  if (root === undefined) throw new Error("no root element");
  return root;
}
