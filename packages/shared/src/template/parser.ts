import type {
  ArgNode,
  BranchNode,
  CommandNode,
  Node,
  NumberNode,
  PipeNode,
  TemplateNode,
  VariableNode,
} from './ast.js';
import { nodeString } from './ast.js';
import { locate, TemplateError } from './errors.js';
import { Lexer, type Token, type TokenType, tokenString } from './lexer.js';
import { parseNumber, unquote } from './literals.js';
import { Scope } from './scope.js';
import { quote } from './text.js';

// A port of Go's text/template/parse/parse.go: the same grammar, the same checks and the
// same error messages, so a template that Go rejects is rejected here with Go's words.

/** Every template of a source by name: the main one and those from {{define}} and {{block}}. */
export type TemplateSet = ReadonlyMap<string, readonly Node[]>;

/** {{end}} and {{else}} close a list; they never appear in the tree. */
type Delimiter =
  | { readonly type: 'end'; readonly pos: number }
  | { readonly type: 'else'; readonly pos: number };

const VALUES: ReadonlySet<ArgNode['type']> = new Set(['bool', 'dot', 'nil', 'number', 'string']);

/** Nesting limit for parentheses (Go allows 10000, too deep for a JS stack) and control actions. */
const MAX_DEPTH = 1000;

/** Characters Go's bytes.TrimSpace removes, for deciding whether a definition is empty. */
const isBlank = (text: string): boolean => /^[\s\u0085]*$/u.test(text);

export function parse(source: string, name: string, hasFunction: (name: string) => boolean): TemplateSet {
  return new Parser(source, name, hasFunction).parseSource();
}

class Parser {
  private readonly lexer: Lexer;
  /** Tokens lexed and not yet released; `index` is the next one to read, so backing up is cheap. */
  private readonly tokens: Token[] = [];
  private index = 0;
  private readonly templates = new Map<string, readonly Node[]>();
  /** Names of the variables in scope; a {{define}} or {{block}} body starts afresh. */
  private vars = newScope();
  private rangeDepth = 0;
  private depth = 0;
  /** Start of the action being parsed, for "unclosed action started at"; -1 if none. */
  private actionPos = -1;

  constructor(
    private readonly source: string,
    private readonly name: string,
    private readonly hasFunction: (name: string) => boolean,
  ) {
    this.lexer = new Lexer(source, { breakOK: !hasFunction('break'), continueOK: !hasFunction('continue') });
  }

  parseSource(): TemplateSet {
    const root: Node[] = [];
    while (this.peek().type !== 'eof') {
      if (this.peek().type === 'leftDelim') {
        const mark = this.index;
        this.advance();
        if (this.advanceNonSpace().type === 'define') {
          this.parseDefinition();
          continue;
        }
        this.index = mark;
      }
      const node = this.textOrAction();
      if (node.type === 'end' || node.type === 'else') this.errorf(`unexpected {{${node.type}}}`);
      root.push(node);
    }
    this.addTemplate(this.name, root);
    return this.templates;
  }

  // Token stream.

  private lex(): Token {
    const token = this.lexer.nextToken();
    this.tokens.push(token);
    return token;
  }

  private peek(): Token {
    return this.tokens[this.index] ?? this.lex();
  }

  /** Consumes a token without judging it; error tokens are reported when `next` reads them. */
  private advance(): Token {
    const token = this.peek();
    this.index++;
    return token;
  }

  private advanceNonSpace(): Token {
    let token = this.advance();
    while (token.type === 'space') token = this.advance();
    return token;
  }

  private next(): Token {
    const token = this.advance();
    if (token.type === 'error') this.lexError(token);
    return token;
  }

  private nextNonSpace(): Token {
    let token = this.next();
    while (token.type === 'space') token = this.next();
    return token;
  }

  /** Like Go, leaves the spaces consumed and only the returned token unread. */
  private peekNonSpace(): Token {
    const token = this.advanceNonSpace();
    this.index--;
    return token;
  }

  // Errors.

  /** Go reports the line of the last token read from the lexer. */
  private errorf(message: string, at: Token | undefined = this.tokens.at(-1)): never {
    const { line, column } = locate(this.source, at?.pos ?? 0);
    throw new TemplateError(`template: ${this.name}:${line}: ${message}`, this.name, line, column);
  }

  private lexError(token: Token): never {
    let extra = '';
    if (this.actionPos !== -1) {
      const started = locate(this.source, this.actionPos).line;
      if (started !== locate(this.source, token.pos).line) {
        // "unclosed action started at", not "unclosed action in action started at".
        extra = `${token.val.endsWith(' action') ? '' : ' in action'} started at ${this.name}:${started}`;
      }
    }
    this.errorf(token.val + extra);
  }

  private unexpected(token: Token, context: string): never {
    this.errorf(`unexpected ${tokenString(token)} in ${context}`);
  }

  private expect(type: TokenType, context: string): Token {
    const token = this.nextNonSpace();
    if (token.type !== type) this.unexpected(token, context);
    return token;
  }

  private enter(message: string): void {
    if (++this.depth > MAX_DEPTH) this.errorf(message);
  }

  // Templates.

  /** A definition replaces an empty one; two non-empty definitions of a name conflict. */
  private addTemplate(name: string, list: readonly Node[], at?: Token): void {
    const existing = this.templates.get(name);
    if (existing === undefined || existing.every(isEmpty)) {
      this.templates.set(name, list);
    } else if (!list.every(isEmpty)) {
      this.errorf(`template: multiple definition of template ${quote(name)}`, at);
    }
  }

  /** Parses a {{define}} or {{block}} body with its own variables until its {{end}}. */
  private parseBody(context: string, at?: Token): readonly Node[] {
    const outer = { vars: this.vars, rangeDepth: this.rangeDepth };
    this.vars = newScope();
    this.rangeDepth = 0;
    const [list, end] = this.itemList();
    if (end.type !== 'end') this.errorf(`unexpected {{${end.type}}} in ${context}`, at);
    this.vars = outer.vars;
    this.rangeDepth = outer.rangeDepth;
    return list;
  }

  private parseDefinition(): void {
    const context = 'define clause';
    const name = this.templateName(this.nextNonSpace(), context);
    this.expect('rightDelim', context);
    this.addTemplate(name, this.parseBody(context));
  }

  private templateName(token: Token, context: string): string {
    if (token.type !== 'string' && token.type !== 'rawString') this.unexpected(token, context);
    return this.unquote(token);
  }

  private number(text: string, type: 'charConstant' | 'complex' | 'number', pos: number): NumberNode {
    try {
      return { type: 'number', pos, text, ...parseNumber(text, type) };
    } catch (error) {
      this.errorf((error as Error).message);
    }
  }

  private unquote(token: Token): string {
    try {
      return unquote(token.val);
    } catch (error) {
      this.errorf((error as Error).message);
    }
  }

  // Lists and actions.

  private itemList(): [Node[], Delimiter] {
    const list: Node[] = [];
    while (this.peekNonSpace().type !== 'eof') {
      const node = this.textOrAction();
      if (node.type === 'end' || node.type === 'else') return [list, node];
      list.push(node);
    }
    this.errorf('unexpected EOF');
  }

  /**
   * Drops the tokens already parsed, keeping the last one for error positions. Called between
   * items, where no caller holds an index into the buffer, so memory stays flat on large inputs.
   */
  private release(): void {
    if (this.index > 64) {
      this.tokens.splice(0, this.index - 1);
      this.index = 1;
    }
  }

  private textOrAction(): Node | Delimiter {
    this.release();
    const token = this.nextNonSpace();
    if (token.type === 'text') return { type: 'text', pos: token.pos, text: token.val };
    if (token.type !== 'leftDelim') this.unexpected(token, 'input');
    this.actionPos = token.pos;
    const node = this.action();
    this.actionPos = -1;
    return node;
  }

  private action(): Node | Delimiter {
    const token = this.nextNonSpace();
    switch (token.type) {
      case 'block':
        return this.blockControl();
      case 'break':
      case 'continue':
        return this.loopControl(token.type, token.pos);
      case 'else':
        return this.elseControl();
      case 'end':
        return { type: 'end', pos: this.expect('rightDelim', 'end').pos };
      case 'if':
      case 'range':
      case 'with':
        return this.branchControl(token.type);
      case 'template':
        return this.templateControl();
    }
    this.index--;
    return { type: 'action', pos: this.peek().pos, pipe: this.pipeline('command', 'rightDelim') };
  }

  private loopControl(type: 'break' | 'continue', pos: number): Node {
    const context = `{{${type}}}`;
    const next = this.nextNonSpace();
    if (next.type !== 'rightDelim') this.unexpected(next, context);
    if (this.rangeDepth === 0) this.errorf(`${context} outside {{range}}`);
    return { type, pos };
  }

  private elseControl(): Delimiter {
    // {{else if ...}} and {{else with ...}} leave the keyword unread: it opens a nested branch.
    const peek = this.peekNonSpace();
    if (peek.type === 'if' || peek.type === 'with') return { type: 'else', pos: peek.pos };
    return { type: 'else', pos: this.expect('rightDelim', 'else').pos };
  }

  private branchControl(type: BranchNode['type']): BranchNode {
    this.enter('max nesting depth exceeded');
    const vars = this.vars.mark;
    const pipe = this.pipeline(type, 'rightDelim');
    if (type === 'range') this.rangeDepth++;
    const [list, next] = this.itemList();
    if (type === 'range') this.rangeDepth--;
    let elseList: readonly Node[] | undefined;
    if (next.type === 'else') {
      // {{if a}}x{{else if b}}y{{end}} is {{if a}}x{{else}}{{if b}}y{{end}}{{end}} with one {{end}}.
      const chained = this.peek().type;
      if ((type === 'if' || type === 'with') && chained === type) {
        this.next();
        elseList = [this.branchControl(type)];
      } else {
        const [list, end] = this.itemList();
        if (end.type !== 'end') this.errorf(`expected end; found {{${end.type}}}`);
        elseList = list;
      }
    }
    this.vars.truncate(vars);
    this.depth--;
    return { type, pos: pipe.pos, pipe, list, elseList };
  }

  private blockControl(): TemplateNode {
    const context = 'block clause';
    const token = this.nextNonSpace();
    const name = this.templateName(token, context);
    const pipe = this.pipeline(context, 'rightDelim');
    // Go reports a bad end of the body on the line of the block action itself.
    const blockEnd = this.tokens.at(-1);
    this.addTemplate(name, this.parseBody(context, blockEnd));
    return { type: 'template', pos: token.pos, name, pipe };
  }

  private templateControl(): TemplateNode {
    const context = 'template clause';
    const token = this.nextNonSpace();
    const name = this.templateName(token, context);
    let pipe: PipeNode | undefined;
    if (this.nextNonSpace().type !== 'rightDelim') {
      this.index--;
      pipe = this.pipeline(context, 'rightDelim');
    }
    return { type: 'template', pos: token.pos, name, pipe };
  }

  // Pipelines.

  private pipeline(context: string, end: 'rightDelim' | 'rightParen'): PipeNode {
    const pos = this.peekNonSpace().pos;
    const decl: VariableNode[] = [];
    let isAssign = false;
    for (let v = this.peekNonSpace(); v.type === 'variable'; v = this.peekNonSpace()) {
      const mark = this.index;
      this.next();
      const after = this.peekNonSpace();
      if (after.type === 'assign' || after.type === 'declare') {
        isAssign = after.type === 'assign';
        this.nextNonSpace();
        decl.push(this.declare(v));
        break;
      }
      if (after.type !== 'char' || after.val !== ',') {
        // Not a declaration after all: $x is the first operand.
        this.index = mark;
        break;
      }
      this.nextNonSpace();
      decl.push(this.declare(v));
      if (context !== 'range' || decl.length >= 2) this.errorf(`too many declarations in ${context}`);
      const second = this.peekNonSpace().type;
      if (second !== 'variable' && second !== 'rightDelim' && second !== 'rightParen') {
        this.errorf('range can only initialize variables');
      }
    }
    const cmds: CommandNode[] = [];
    for (;;) {
      const token = this.nextNonSpace();
      if (token.type === end) break;
      switch (token.type) {
        case 'bool':
        case 'charConstant':
        case 'complex':
        case 'dot':
        case 'field':
        case 'identifier':
        case 'leftParen':
        case 'nil':
        case 'number':
        case 'rawString':
        case 'string':
        case 'variable':
          this.index--;
          cmds.push(this.command());
          break;
        default:
          this.unexpected(token, context);
      }
    }
    this.checkPipeline(cmds, context);
    return { type: 'pipe', pos, isAssign, decl, cmds: compact(cmds) };
  }

  private declare(token: Token): VariableNode {
    this.vars.declare(token.val, null);
    return { type: 'variable', pos: token.pos, ident: [token.val] };
  }

  private checkPipeline(cmds: readonly CommandNode[], context: string): void {
    if (cmds.length === 0) this.errorf(`missing value for ${context}`);
    // Only the first command may start with a value: in A | B | C, B and C receive an argument.
    cmds.forEach((cmd, i) => {
      if (i > 0 && VALUES.has(cmd.args[0].type)) {
        this.errorf(`non executable command in pipeline stage ${i + 1}`);
      }
    });
  }

  /** Space-separated operands up to a pipe, which is consumed, or a closing delimiter, which is not. */
  private command(): CommandNode {
    const pos = this.peekNonSpace().pos;
    const args: ArgNode[] = [];
    for (;;) {
      this.peekNonSpace();
      const operand = this.operand();
      if (operand) args.push(operand);
      const token = this.next();
      if (token.type === 'space') continue;
      if (token.type === 'rightDelim' || token.type === 'rightParen') this.index--;
      else if (token.type !== 'pipe') this.unexpected(token, 'operand');
      break;
    }
    const operands = compact(args);
    if (!isNonEmpty(operands)) this.errorf('empty command');
    return { type: 'command', pos, args: operands };
  }

  /** A term possibly followed by field accesses: (pipeline).A.B or $x.A. */
  private operand(): ArgNode | undefined {
    const node = this.term();
    if (!node || this.peek().type !== 'field') return node;
    // As in Go, the node takes the position of its first chained field.
    const pos = this.peek().pos;
    const first = this.next().val.slice(1);
    const rest: string[] = [];
    while (this.peek().type === 'field') rest.push(this.next().val.slice(1));
    switch (node.type) {
      case 'field':
      case 'variable':
        return { type: node.type, pos, ident: [...node.ident, first, ...rest] };
      case 'bool':
      case 'dot':
      case 'nil':
      case 'number':
      case 'string':
        this.errorf(`unexpected . after term ${quote(nodeString(node))}`);
    }
    return { type: 'chain', pos, node, fields: [first, ...rest] };
  }

  private term(): ArgNode | undefined {
    const token = this.nextNonSpace();
    const pos = token.pos;
    switch (token.type) {
      case 'identifier':
        if (!this.hasFunction(token.val)) this.errorf(`function ${quote(token.val)} not defined`);
        return { type: 'identifier', pos, name: token.val };
      case 'dot':
        return { type: 'dot', pos };
      case 'nil':
        return { type: 'nil', pos };
      case 'variable':
        if (!this.vars.has(token.val)) this.errorf(`undefined variable ${quote(token.val)}`);
        return { type: 'variable', pos, ident: [token.val] };
      case 'field':
        return { type: 'field', pos, ident: [token.val.slice(1)] };
      case 'bool':
        return { type: 'bool', pos, value: token.val === 'true' };
      case 'charConstant':
      case 'complex':
      case 'number':
        return this.number(token.val, token.type, pos);
      case 'leftParen': {
        this.enter('max expression depth exceeded');
        const pipe = this.pipeline('parenthesized pipeline', 'rightParen');
        this.depth--;
        return pipe;
      }
      case 'string':
      case 'rawString':
        return { type: 'string', pos, quoted: token.val, text: this.unquote(token) };
    }
    this.index--;
    return undefined;
  }
}

/** An exact-size copy: arrays grown by push keep spare room, which adds up in large templates. */
function compact<T>(list: readonly T[]): T[] {
  return list.slice();
}

function isNonEmpty<T>(list: T[]): list is [T, ...T[]] {
  return list.length > 0;
}

/** Only "$", the data the template runs with, is in scope at the start of a template. */
function newScope(): Scope<null> {
  const scope = new Scope<null>();
  scope.declare('$', null);
  return scope;
}

function isEmpty(node: Node): boolean {
  return node.type === 'text' && isBlank(node.text);
}
