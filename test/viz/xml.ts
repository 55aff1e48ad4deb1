/**
 * A strict little XML reader for the tests: it throws on anything a conforming parser would reject
 * in the subset SVG output uses (unbalanced or mismatched tags, unquoted or duplicate attributes,
 * a bare `<` or `&` in text, unknown entities), and returns the element tree with text decoded.
 */
export interface XmlElement {
  readonly name: string;
  readonly attrs: Readonly<Record<string, string>>;
  readonly children: readonly XmlNode[];
}
export type XmlNode = XmlElement | string;

const ENTITY: Readonly<Record<string, string>> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
const NAME = /^[A-Za-z_:][\w:.-]*/;

function decode(raw: string, where: number): string {
  if (raw.includes('<')) throw new Error(`bare < at ${where}`);
  return raw.replace(/&([^;\s&]*);?/g, (m, body: string) => {
    if (!m.endsWith(';')) throw new Error(`bare & at ${where}: ${m}`);
    if (body in ENTITY) return ENTITY[body];
    const num = /^#(x[0-9a-fA-F]+|\d+)$/.exec(body);
    if (num) return String.fromCodePoint(parseInt(num[1].startsWith('x') ? num[1].slice(1) : num[1], num[1].startsWith('x') ? 16 : 10));
    throw new Error(`unknown entity &${body}; at ${where}`);
  });
}

export function parseXml(text: string): XmlElement {
  let i = 0;
  const stack: { name: string; attrs: Record<string, string>; children: XmlNode[] }[] = [];
  let root: XmlElement | undefined;
  const skipMisc = (): void => {
    for (;;) {
      const m = /^(\s+|<\?[\s\S]*?\?>|<!--[\s\S]*?-->)/.exec(text.slice(i));
      if (!m) return;
      i += m[0].length;
    }
  };
  skipMisc();
  while (i < text.length) {
    if (stack.length === 0 && root) {
      skipMisc();
      if (i < text.length) throw new Error(`content after the root element at ${i}`);
      break;
    }
    if (text.startsWith('<!--', i)) {
      const end = text.indexOf('-->', i);
      if (end < 0) throw new Error('unterminated comment');
      i = end + 3;
    } else if (text.startsWith('</', i)) {
      const m = /^<\/([A-Za-z_:][\w:.-]*)\s*>/.exec(text.slice(i));
      const open = stack.pop();
      if (!m || !open || m[1] !== open.name) throw new Error(`mismatched close tag at ${i}: ${text.slice(i, i + 30)}`);
      i += m[0].length;
      const el: XmlElement = { name: open.name, attrs: open.attrs, children: open.children };
      if (stack.length === 0) root = el;
      else stack[stack.length - 1].children.push(el);
    } else if (text[i] === '<') {
      const name = NAME.exec(text.slice(i + 1));
      if (!name) throw new Error(`bad tag at ${i}`);
      i += 1 + name[0].length;
      const attrs: Record<string, string> = {};
      for (;;) {
        const ws = /^\s*/.exec(text.slice(i));
        i += ws ? ws[0].length : 0;
        if (text.startsWith('/>', i) || text[i] === '>') break;
        if (!ws || ws[0].length === 0) throw new Error(`attributes must be separated at ${i}`);
        const a = /^([A-Za-z_:][\w:.-]*)\s*=\s*("([^"]*)"|'([^']*)')/.exec(text.slice(i));
        if (!a) throw new Error(`bad attribute at ${i}: ${text.slice(i, i + 30)}`);
        if (a[1] in attrs) throw new Error(`duplicate attribute ${a[1]} at ${i}`);
        attrs[a[1]] = decode(a[3] ?? a[4] ?? '', i);
        i += a[0].length;
      }
      const selfClosing = text.startsWith('/>', i);
      i += selfClosing ? 2 : 1;
      if (selfClosing) {
        const el: XmlElement = { name: name[0], attrs, children: [] };
        if (stack.length === 0) root = el;
        else stack[stack.length - 1].children.push(el);
      } else stack.push({ name: name[0], attrs, children: [] });
    } else {
      const end = text.indexOf('<', i);
      const raw = text.slice(i, end < 0 ? text.length : end);
      if (stack.length === 0) throw new Error(`text outside the root element at ${i}`);
      if (raw.includes('>') && raw.includes(']]>')) throw new Error(`]]> in text at ${i}`);
      stack[stack.length - 1].children.push(decode(raw, i));
      i = end < 0 ? text.length : end;
    }
  }
  if (stack.length > 0 || !root) throw new Error(`unclosed <${stack[stack.length - 1]?.name ?? 'root'}>`);
  return root;
}

/** Every element below (and including) `el`, depth first. */
export function* walk(el: XmlElement): Generator<XmlElement> {
  yield el;
  for (const c of el.children) if (typeof c !== 'string') yield* walk(c);
}

/** All text inside an element, tspans joined, titles left out (they are tooltips, not drawn). */
export function textOf(el: XmlElement): string {
  if (el.name === 'title') return '';
  return el.children.map((c) => (typeof c === 'string' ? c : textOf(c))).join('');
}

export const hasClass = (el: XmlElement, cls: string): boolean => (el.attrs.class ?? '').split(/\s+/).includes(cls);
