// A strict reader of the XML subset JUnit files use (a declaration, elements, attributes, character data and
// the predefined and numeric entities): throws on anything not well-formed, so that a test can parse back
// what patchlab wrote. No DTDs, comments, CDATA or processing instructions after the declaration.

export interface XmlElement {
  readonly name: string;
  readonly attrs: Readonly<Record<string, string>>;
  readonly children: readonly XmlElement[];
  /** The character data directly inside, entities resolved. */
  readonly text: string;
}

const NAME = /^[A-Za-z_:][A-Za-z0-9_:.-]*/;
const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
// Characters XML 1.0 allows: tab, newline, carriage return, and from U+0020 on except surrogates and U+FFFE/F.
const ILLEGAL = /[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

function decode(raw: string, where: number): string {
  if (ILLEGAL.test(raw)) throw new Error(`character not allowed in XML near offset ${where}`);
  if (/[<]/.test(raw)) throw new Error(`raw < near offset ${where}`);
  return raw.replace(/&([^;]*);|&/g, (m, body: string | undefined) => {
    if (body === undefined) throw new Error(`bare & near offset ${where}`);
    if (body in ENTITIES) return ENTITIES[body];
    const n = /^#x([0-9a-fA-F]+)$/.exec(body) ?? /^#([0-9]+)$/.exec(body);
    if (!n) throw new Error(`unknown entity &${body}; near offset ${where}`);
    return String.fromCodePoint(parseInt(n[1], body.startsWith('#x') ? 16 : 10));
  });
}

export function parseXml(xml: string): XmlElement {
  let i = 0;
  const decl = /^<\?xml version="1\.0" encoding="UTF-8"\?>\n?/.exec(xml);
  if (!decl) throw new Error('no XML declaration');
  i = decl[0].length;
  const skipSpace = () => {
    while (i < xml.length && /\s/.test(xml[i])) i++;
  };
  const element = (): XmlElement => {
    if (xml[i] !== '<') throw new Error(`expected < at offset ${i}`);
    i++;
    const name = NAME.exec(xml.slice(i))?.[0];
    if (!name) throw new Error(`expected a name at offset ${i}`);
    i += name.length;
    const attrs: Record<string, string> = {};
    for (;;) {
      skipSpace();
      if (xml.startsWith('/>', i)) {
        i += 2;
        return { name, attrs, children: [], text: '' };
      }
      if (xml[i] === '>') break;
      const a = NAME.exec(xml.slice(i))?.[0];
      if (!a) throw new Error(`expected an attribute at offset ${i}`);
      if (a in attrs) throw new Error(`attribute ${a} twice at offset ${i}`);
      i += a.length;
      const q = /^\s*=\s*(["'])/.exec(xml.slice(i));
      if (!q) throw new Error(`expected ="…" at offset ${i}`);
      i += q[0].length;
      const end = xml.indexOf(q[1], i);
      if (end < 0) throw new Error(`unterminated attribute at offset ${i}`);
      attrs[a] = decode(xml.slice(i, end), i);
      i = end + 1;
    }
    i++;
    const children: XmlElement[] = [];
    let text = '';
    for (;;) {
      const lt = xml.indexOf('<', i);
      if (lt < 0) throw new Error(`element ${name} not closed`);
      text += decode(xml.slice(i, lt), i);
      i = lt;
      if (xml.startsWith('</', i)) {
        const close = new RegExp(`^</${name.replace(/[.]/g, '\\.')}\\s*>`).exec(xml.slice(i));
        if (!close) throw new Error(`expected </${name}> at offset ${i}`);
        i += close[0].length;
        return { name, attrs, children, text };
      }
      children.push(element());
    }
  };
  skipSpace();
  const root = element();
  skipSpace();
  if (i !== xml.length) throw new Error(`content after the root element at offset ${i}`);
  return root;
}
