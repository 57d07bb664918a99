/**
 * Finds where JSON text stops being valid, as line and column. JSON.parse does the real
 * parsing; this scanner only runs after it failed, because V8's messages do not always
 * carry a position and never a line.
 */
export interface JsonErrorLocation {
  offset: number;
  line: number;
  column: number;
  message: string;
}

class Scan {
  pos = 0;
  constructor(readonly text: string) {}

  fail(message: string): never {
    throw Object.assign(new Error(message), { offset: this.pos });
  }

  ws(): void {
    while (this.pos < this.text.length && ' \t\n\r'.includes(this.text[this.pos]!)) this.pos++;
  }

  value(): void {
    this.ws();
    const c = this.text[this.pos];
    if (c === undefined) this.fail('unexpected end of the file: a value is missing');
    if (c === '{') return this.object();
    if (c === '[') return this.array();
    if (c === '"') return this.string();
    if (c === '-' || (c >= '0' && c <= '9')) return this.number();
    for (const word of ['true', 'false', 'null']) {
      if (this.text.startsWith(word, this.pos)) {
        this.pos += word.length;
        return;
      }
    }
    this.fail(`unexpected character ${JSON.stringify(c)}: expected a value`);
  }

  /** At an opening bracket: consumes it, and true when `close` follows at once (consumed too). */
  opensEmpty(close: '}' | ']'): boolean {
    this.pos++;
    this.ws();
    if (this.text[this.pos] !== close) return false;
    this.pos++;
    return true;
  }

  object(): void {
    if (this.opensEmpty('}')) return;
    for (;;) {
      this.ws();
      if (this.text[this.pos] !== '"') this.fail('expected a property name in double quotes');
      this.string();
      this.ws();
      if (this.text[this.pos] !== ':') this.fail("expected ':' after the property name");
      this.pos++;
      this.value();
      if (this.closes('}', 'a property value')) return;
    }
  }

  /**
   * After an element of an object or array: true at its closing `close` (consumed), false
   * after a comma that another element follows; anything else is the error it is.
   */
  closes(close: '}' | ']', element: string): boolean {
    this.ws();
    const c = this.text[this.pos];
    if (c === ',') {
      this.pos++;
      this.ws();
      if (this.text[this.pos] === close) this.fail(`trailing comma before '${close}'`);
      return false;
    }
    if (c === close) {
      this.pos++;
      return true;
    }
    this.fail(c === undefined ? `unexpected end of the file: '${close}' is missing` : `expected ',' or '${close}' after ${element}`);
  }

  array(): void {
    if (this.opensEmpty(']')) return;
    for (;;) {
      this.value();
      if (this.closes(']', 'an array element')) return;
    }
  }

  string(): void {
    this.pos++;
    while (this.pos < this.text.length) {
      const c = this.text[this.pos]!;
      if (c === '"') {
        this.pos++;
        return;
      }
      if (c === '\\') {
        const next = this.text[this.pos + 1];
        if (next === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(this.text.slice(this.pos + 2, this.pos + 6))) this.fail('bad \\u escape');
          this.pos += 6;
          continue;
        }
        if (next === undefined || !'"\\/bfnrt'.includes(next)) this.fail('bad escape in a string');
        this.pos += 2;
        continue;
      }
      if (c < ' ') this.fail('control character in a string (a line break inside quotes?)');
      this.pos++;
    }
    this.fail('unexpected end of the file inside a string');
  }

  number(): void {
    const match = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(this.text.slice(this.pos));
    if (!match) this.fail('malformed number');
    this.pos += match[0].length;
  }
}

export function locateJsonError(text: string): JsonErrorLocation | null {
  const scan = new Scan(text);
  try {
    scan.value();
    scan.ws();
    if (scan.pos < text.length) scan.fail('unexpected text after the end of the JSON value');
    return null;
  } catch (error) {
    const offset = (error as { offset?: number }).offset ?? scan.pos;
    const before = text.slice(0, offset);
    const line = before.split('\n').length;
    const column = offset - before.lastIndexOf('\n');
    return { offset, line, column, message: (error as Error).message };
  }
}
