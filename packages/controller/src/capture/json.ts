/**
 * A JSON parser for agent stream lines that keeps every number's source text: outputs such as
 * `cost-usd: 0.0123` must print the number exactly as the agent wrote it (spec §6.2), and
 * `JSON.parse` would turn `1.50` into `1.5` or lose precision on large integers. (The reviver's
 * `context.source` would do this, but Node 20 does not have it.)
 */

/** A JSON number, as written. */
export class JsonNumber {
  constructor(readonly text: string) {}
}

export type JsonValue = string | boolean | null | JsonNumber | JsonValue[] | JsonObject;
export interface JsonObject {
  [key: string]: JsonValue;
}

/** Deeper nesting than this is refused rather than risking a stack overflow on hostile input. */
const MAX_DEPTH = 512;

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const WHITESPACE = /[ \t\n\r]*/y;

class Parser {
  private pos = 0;

  constructor(private readonly text: string) {}

  parseDocument(): JsonValue {
    const value = this.value(0);
    this.skipWhitespace();
    if (this.pos !== this.text.length) throw new SyntaxError('trailing characters');
    return value;
  }

  private value(depth: number): JsonValue {
    if (depth > MAX_DEPTH) throw new SyntaxError('nesting too deep');
    this.skipWhitespace();
    const c = this.text[this.pos];
    switch (c) {
      case '{':
        return this.object(depth);
      case '[':
        return this.array(depth);
      case '"':
        return this.string();
      case 't':
        return this.literal('true', true);
      case 'f':
        return this.literal('false', false);
      case 'n':
        return this.literal('null', null);
      default:
        return this.number();
    }
  }

  private object(depth: number): JsonObject {
    // No prototype, so a "__proto__" key is an ordinary property.
    const out: JsonObject = Object.create(null);
    this.pos++;
    this.skipWhitespace();
    if (this.text[this.pos] === '}') {
      this.pos++;
      return out;
    }
    for (;;) {
      this.skipWhitespace();
      if (this.text[this.pos] !== '"') throw new SyntaxError('expected a key');
      const key = this.string();
      this.skipWhitespace();
      this.expect(':');
      out[key] = this.value(depth + 1);
      this.skipWhitespace();
      if (this.text[this.pos] === ',') {
        this.pos++;
        continue;
      }
      this.expect('}');
      return out;
    }
  }

  private array(depth: number): JsonValue[] {
    const out: JsonValue[] = [];
    this.pos++;
    this.skipWhitespace();
    if (this.text[this.pos] === ']') {
      this.pos++;
      return out;
    }
    for (;;) {
      out.push(this.value(depth + 1));
      this.skipWhitespace();
      if (this.text[this.pos] === ',') {
        this.pos++;
        continue;
      }
      this.expect(']');
      return out;
    }
  }

  /** Finds the closing quote, then lets JSON.parse decode escapes only when there are any. */
  private string(): string {
    const start = this.pos;
    let escaped = false;
    for (let i = start + 1; i < this.text.length; i++) {
      const code = this.text.charCodeAt(i);
      if (code === 0x5c) {
        escaped = true;
        i++;
      } else if (code === 0x22) {
        this.pos = i + 1;
        const raw = this.text.slice(start, i + 1);
        return escaped ? (JSON.parse(raw) as string) : raw.slice(1, -1);
      }
    }
    throw new SyntaxError('unterminated string');
  }

  private number(): JsonNumber {
    NUMBER.lastIndex = this.pos;
    const match = NUMBER.exec(this.text);
    if (!match) throw new SyntaxError(`unexpected character at ${this.pos}`);
    this.pos += match[0].length;
    return new JsonNumber(match[0]);
  }

  private literal<T>(word: string, value: T): T {
    if (!this.text.startsWith(word, this.pos)) throw new SyntaxError(`unexpected character at ${this.pos}`);
    this.pos += word.length;
    return value;
  }

  private expect(c: string): void {
    if (this.text[this.pos] !== c) throw new SyntaxError(`expected "${c}" at ${this.pos}`);
    this.pos++;
  }

  private skipWhitespace(): void {
    WHITESPACE.lastIndex = this.pos;
    WHITESPACE.exec(this.text);
    this.pos = WHITESPACE.lastIndex;
  }
}

/** The JSON object on a stream line, or undefined when the line is not a JSON object. */
export function parseJsonObject(line: string): JsonObject | undefined {
  try {
    const value = new Parser(line).parseDocument();
    return isObject(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

export function isObject(value: JsonValue | undefined): value is JsonObject {
  return (
    typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof JsonNumber)
  );
}

/** The value at a path of object keys, or undefined when any step is missing or not an object. */
export function at(value: JsonValue | undefined, ...path: string[]): JsonValue | undefined {
  let current = value;
  for (const key of path) {
    if (!isObject(current)) return undefined;
    current = current[key];
  }
  return current;
}

export function stringAt(value: JsonValue | undefined, ...path: string[]): string | undefined {
  const v = at(value, ...path);
  return typeof v === 'string' ? v : undefined;
}

/** A number's source text at a path. */
export function numberAt(value: JsonValue | undefined, ...path: string[]): string | undefined {
  const v = at(value, ...path);
  return v instanceof JsonNumber ? v.text : undefined;
}
