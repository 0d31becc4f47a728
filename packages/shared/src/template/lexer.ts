import { describeRune, quote, truncateRunes, utf8Length } from './text.js';

// A port of Go's text/template/parse/lex.go. The lexer is pulled one token at a time by the
// parser, as in Go, so a syntax error is reported where Go reports it even when the input
// after it would not lex. Every scan moves forward, so lexing is linear in the input.

export type Keyword =
  | 'block'
  | 'break'
  | 'continue'
  | 'define'
  | 'dot'
  | 'else'
  | 'end'
  | 'if'
  | 'nil'
  | 'range'
  | 'template'
  | 'with';

export type TokenType =
  | Keyword
  | 'assign'
  | 'bool'
  | 'char'
  | 'charConstant'
  | 'complex'
  | 'declare'
  | 'eof'
  | 'error'
  | 'field'
  | 'identifier'
  | 'leftDelim'
  | 'leftParen'
  | 'number'
  | 'pipe'
  | 'rawString'
  | 'rightDelim'
  | 'rightParen'
  | 'space'
  | 'string'
  | 'text'
  | 'variable';

export interface Token {
  readonly type: TokenType;
  /** Offset of the token in the source. */
  readonly pos: number;
  /** The source text of the token, or the message of an error token. */
  readonly val: string;
}

const KEYWORDS: ReadonlyMap<string, Keyword> = new Map([
  ['block', 'block'],
  ['break', 'break'],
  ['continue', 'continue'],
  ['define', 'define'],
  ['else', 'else'],
  ['end', 'end'],
  ['if', 'if'],
  ['nil', 'nil'],
  ['range', 'range'],
  ['template', 'template'],
  ['with', 'with'],
]);

const KEYWORD_TYPES: ReadonlySet<TokenType> = new Set([...KEYWORDS.values(), 'dot']);

/** How Go's parser names a token in "unexpected X in Y" messages. */
export function tokenString(token: Token): string {
  if (token.type === 'eof') return 'EOF';
  if (token.type === 'error') return token.val;
  if (KEYWORD_TYPES.has(token.type)) return `<${token.val}>`;
  if (utf8Length(token.val) > 10) return `${quote(truncateRunes(token.val, 10))}...`;
  return quote(token.val);
}

const LEFT_DELIM = '{{';
const RIGHT_DELIM = '}}';
const LEFT_COMMENT = '/*';
const RIGHT_COMMENT = '*/';
/** A trim marker is the '-' plus the space that must separate it from the action. */
const TRIM_MARKER_LEN = 2;

const isSpace = (c: string | undefined): boolean => c === ' ' || c === '\t' || c === '\r' || c === '\n';
const isDigit = (c: string | undefined): boolean => c !== undefined && c >= '0' && c <= '9';
const letterOrDigit = /^[\p{L}\p{Nd}]$/u;

function isAlphaNumeric(cp: number | undefined): boolean {
  if (cp === undefined) return false;
  if (cp < 0x80) {
    return (
      cp === 0x5f || (cp >= 0x30 && cp <= 0x39) || (cp >= 0x41 && cp <= 0x5a) || (cp >= 0x61 && cp <= 0x7a)
    );
  }
  return letterOrDigit.test(String.fromCodePoint(cp));
}

export interface LexOptions {
  /** `break` and `continue` are keywords unless a function of that name exists. */
  readonly breakOK: boolean;
  readonly continueOK: boolean;
}

export class Lexer {
  private pos = 0;
  private start = 0;
  private insideAction = false;
  private parenDepth = 0;

  constructor(
    private readonly input: string,
    private readonly options: LexOptions,
  ) {}

  nextToken(): Token {
    for (;;) {
      const token = this.insideAction ? this.lexInsideAction() : this.lexText();
      if (token) return token;
    }
  }

  private emit(type: TokenType): Token {
    const token = { type, pos: this.start, val: this.input.slice(this.start, this.pos) };
    this.start = this.pos;
    return token;
  }

  /** Ends the scan: after an error the lexer only returns EOF. */
  private error(message: string): Token {
    const token = { type: 'error' as const, pos: this.start, val: message };
    this.pos = this.start = this.input.length;
    this.insideAction = false;
    return token;
  }

  private codePointAt(pos: number): number | undefined {
    return this.input.codePointAt(pos);
  }

  private hasLeftTrimMarker(pos: number): boolean {
    return this.input[pos] === '-' && isSpace(this.input[pos + 1]);
  }

  private hasRightTrimMarker(pos: number): boolean {
    return isSpace(this.input[pos]) && this.input[pos + 1] === '-';
  }

  /** The length of the right delimiter here, trim marker included, or 0 if there is none. */
  private rightDelimLength(): number {
    if (this.hasRightTrimMarker(this.pos) && this.input.startsWith(RIGHT_DELIM, this.pos + TRIM_MARKER_LEN)) {
      return TRIM_MARKER_LEN + RIGHT_DELIM.length;
    }
    return this.input.startsWith(RIGHT_DELIM, this.pos) ? RIGHT_DELIM.length : 0;
  }

  private skipSpaces(pos: number): number {
    let end = pos;
    while (isSpace(this.input[end])) end++;
    return end;
  }

  private lexText(): Token | undefined {
    const delim = this.input.indexOf(LEFT_DELIM, this.pos);
    if (delim === -1) {
      this.pos = this.input.length;
      return this.emit(this.pos > this.start ? 'text' : 'eof');
    }
    if (delim > this.pos) {
      let end = delim;
      if (this.hasLeftTrimMarker(delim + LEFT_DELIM.length)) {
        while (end > this.start && isSpace(this.input[end - 1])) end--;
      }
      const text = { type: 'text' as const, pos: this.start, val: this.input.slice(this.start, end) };
      this.pos = this.start = delim;
      if (text.val !== '') return text;
    }
    return this.lexLeftDelim();
  }

  private lexLeftDelim(): Token | undefined {
    this.pos += LEFT_DELIM.length;
    const afterMarker = this.hasLeftTrimMarker(this.pos) ? TRIM_MARKER_LEN : 0;
    if (this.input.startsWith(LEFT_COMMENT, this.pos + afterMarker)) {
      this.pos = this.start = this.pos + afterMarker;
      return this.lexComment();
    }
    const token = this.emit('leftDelim');
    this.insideAction = true;
    this.pos = this.start = this.pos + afterMarker;
    this.parenDepth = 0;
    return token;
  }

  private lexComment(): Token | undefined {
    const end = this.input.indexOf(RIGHT_COMMENT, this.pos + LEFT_COMMENT.length);
    if (end === -1) return this.error('unclosed comment');
    this.pos = end + RIGHT_COMMENT.length;
    const delim = this.rightDelimLength();
    if (delim === 0) return this.error('comment ends before closing delimiter');
    this.pos += delim;
    if (delim > RIGHT_DELIM.length) this.pos = this.skipSpaces(this.pos);
    this.start = this.pos;
    return undefined;
  }

  private lexRightDelim(): Token {
    const trim = this.rightDelimLength() > RIGHT_DELIM.length;
    if (trim) this.pos = this.start = this.pos + TRIM_MARKER_LEN;
    this.pos += RIGHT_DELIM.length;
    const token = this.emit('rightDelim');
    if (trim) this.pos = this.start = this.skipSpaces(this.pos);
    this.insideAction = false;
    return token;
  }

  private lexInsideAction(): Token {
    if (this.rightDelimLength() !== 0) {
      return this.parenDepth === 0 ? this.lexRightDelim() : this.error('unclosed left paren');
    }
    const c = this.input[this.pos];
    if (c === undefined) return this.error('unclosed action');
    if (isSpace(c)) return this.lexSpace();
    switch (c) {
      case '=':
        this.pos++;
        return this.emit('assign');
      case ':':
        this.pos++;
        if (this.input[this.pos++] !== '=') return this.error('expected :=');
        return this.emit('declare');
      case '|':
        this.pos++;
        return this.emit('pipe');
      case '"':
        return this.lexQuote();
      case '`':
        return this.lexRawQuote();
      case '$':
        this.pos++;
        return this.lexFieldOrVariable('variable');
      case "'":
        return this.lexChar();
      case '(':
        this.pos++;
        this.parenDepth++;
        return this.emit('leftParen');
      case ')':
        this.pos++;
        if (--this.parenDepth < 0) return this.error('unexpected right paren');
        return this.emit('rightParen');
      case '.':
        // ".5" is a number, ".x" a field.
        if (this.pos + 1 < this.input.length && !isDigit(this.input[this.pos + 1])) {
          this.pos++;
          return this.lexFieldOrVariable('field');
        }
        return this.lexNumber();
    }
    if (c === '+' || c === '-' || isDigit(c)) return this.lexNumber();
    const cp = this.codePointAt(this.pos) ?? 0;
    if (isAlphaNumeric(cp)) return this.lexIdentifier();
    if (cp >= 0x21 && cp < 0x7f) {
      this.pos++;
      return this.emit('char');
    }
    return this.error(`unrecognized character in action: ${describeRune(cp)}`);
  }

  /** Spaces are a token, except that " -}}" belongs to the right delimiter. */
  private lexSpace(): Token {
    let end = this.skipSpaces(this.pos);
    if (this.hasRightTrimMarker(end - 1) && this.input.startsWith(RIGHT_DELIM, end + 1)) {
      end--;
      if (end === this.pos) return this.lexRightDelim();
    }
    this.pos = end;
    return this.emit('space');
  }

  private skipAlphaNumeric(): void {
    for (let cp = this.codePointAt(this.pos); isAlphaNumeric(cp); cp = this.codePointAt(this.pos)) {
      this.pos += cp !== undefined && cp > 0xffff ? 2 : 1;
    }
  }

  /** Whether an identifier may end here; this splits .X.Y in two and rejects $x+2. */
  private atTerminator(): boolean {
    const c = this.input[this.pos];
    if (c === undefined || isSpace(c)) return true;
    switch (c) {
      case '.':
      case ',':
      case '|':
      case ':':
      case ')':
      case '(':
        return true;
    }
    return this.input.startsWith(RIGHT_DELIM, this.pos);
  }

  private badCharacter(): Token {
    return this.error(`bad character ${describeRune(this.codePointAt(this.pos) ?? 0)}`);
  }

  private lexIdentifier(): Token {
    this.skipAlphaNumeric();
    if (!this.atTerminator()) return this.badCharacter();
    const word = this.input.slice(this.start, this.pos);
    const keyword = KEYWORDS.get(word);
    if (keyword) {
      const disabled =
        (keyword === 'break' && !this.options.breakOK) ||
        (keyword === 'continue' && !this.options.continueOK);
      return this.emit(disabled ? 'identifier' : keyword);
    }
    return this.emit(word === 'true' || word === 'false' ? 'bool' : 'identifier');
  }

  /** The '.' or '$' has been consumed. Alone, they are the dot and the root variable. */
  private lexFieldOrVariable(type: 'field' | 'variable'): Token {
    if (this.atTerminator()) return this.emit(type === 'variable' ? 'variable' : 'dot');
    this.skipAlphaNumeric();
    if (!this.atTerminator()) return this.badCharacter();
    return this.emit(type);
  }

  private lexChar(): Token {
    for (this.pos++; ; ) {
      const c = this.input[this.pos++];
      if (c === '\\') {
        const escaped = this.input[this.pos++];
        if (escaped !== undefined && escaped !== '\n') continue;
      }
      if (c === undefined || c === '\n' || c === '\\') return this.error('unterminated character constant');
      if (c === "'") return this.emit('charConstant');
    }
  }

  private lexQuote(): Token {
    for (this.pos++; ; ) {
      const c = this.input[this.pos++];
      if (c === '\\') {
        const escaped = this.input[this.pos++];
        if (escaped !== undefined && escaped !== '\n') continue;
      }
      if (c === undefined || c === '\n' || c === '\\') return this.error('unterminated quoted string');
      if (c === '"') return this.emit('string');
    }
  }

  private lexRawQuote(): Token {
    const end = this.input.indexOf('`', this.pos + 1);
    if (end === -1) return this.error('unterminated raw quoted string');
    this.pos = end + 1;
    return this.emit('rawString');
  }

  /** Scans loosely, like Go; the parser rejects malformed numbers such as "089". */
  private lexNumber(): Token {
    if (!this.scanNumber())
      return this.error(`bad number syntax: ${quote(this.input.slice(this.start, this.pos))}`);
    const sign = this.input[this.pos];
    if (sign === '+' || sign === '-') {
      // A complex constant such as 1+2i: no spaces, must end in 'i'.
      if (!this.scanNumber() || this.input[this.pos - 1] !== 'i') {
        return this.error(`bad number syntax: ${quote(this.input.slice(this.start, this.pos))}`);
      }
      return this.emit('complex');
    }
    return this.emit('number');
  }

  private accept(valid: string): boolean {
    const c = this.input[this.pos];
    if (c !== undefined && valid.includes(c)) {
      this.pos++;
      return true;
    }
    return false;
  }

  private acceptRun(valid: string): void {
    while (this.accept(valid)) {}
  }

  private scanNumber(): boolean {
    const decimal = '0123456789_';
    const hexadecimal = '0123456789abcdefABCDEF_';
    this.accept('+-');
    let digits = decimal;
    if (this.accept('0')) {
      if (this.accept('xX')) digits = hexadecimal;
      else if (this.accept('oO')) digits = '01234567_';
      else if (this.accept('bB')) digits = '01_';
    }
    this.acceptRun(digits);
    if (this.accept('.')) this.acceptRun(digits);
    if (digits === decimal && this.accept('eE')) {
      this.accept('+-');
      this.acceptRun(decimal);
    }
    if (digits === hexadecimal && this.accept('pP')) {
      this.accept('+-');
      this.acceptRun(decimal);
    }
    this.accept('i');
    const next = this.codePointAt(this.pos);
    if (isAlphaNumeric(next)) {
      this.pos += next !== undefined && next > 0xffff ? 2 : 1;
      return false;
    }
    return true;
  }
}
