import type {
  ActionNode,
  ArgNode,
  BranchNode,
  ChainNode,
  CommandNode,
  ExecNode,
  FieldNode,
  IdentifierNode,
  Node,
  NumberNode,
  PipeNode,
  TemplateNode,
  VariableNode,
} from './ast.js';
import { nodeString } from './ast.js';
import { locate, TemplateError } from './errors.js';
import { BUILTINS, type Func, type ParamType } from './funcs.js';
import type { TemplateSet } from './parser.js';
import { sprint } from './print.js';
import { Scope } from './scope.js';
import { quote } from './text.js';
import { elementAt, isGoInt, isMap, isNil, isTrue, mapGet, mapKeys, NO_VALUE, typeName } from './values.js';

// A port of Go's text/template/exec.go. Like Go, the evaluator records the node it is at, so
// an error names the same position and context (at <.Foo>) that Go would.

export type MissingKey = 'error' | 'zero' | 'default';

export type TemplateFunc = (...args: unknown[]) => unknown;

export interface ExecContext {
  readonly source: string;
  /** The name of the parsed source, which locates every error. */
  readonly name: string;
  readonly templates: TemplateSet;
  readonly missingKey: MissingKey;
  readonly funcs: Readonly<Record<string, TemplateFunc>>;
}

/** Go's limit is 100000, far beyond what a JS stack survives. */
const MAX_TEMPLATE_DEPTH = 1000;

const NO_ARGS: readonly ArgNode[] = [];

/** The absent previous value of a pipeline: its first command gets no extra argument. */
const MISSING: unique symbol = Symbol('missing');

/** How {{break}} and {{continue}} leave the lists nested in a range body. */
type Signal = 'break' | 'continue' | undefined;

interface Variable {
  value: unknown;
}

/** A template starts with one variable, $, bound to its data. */
function rootScope(data: unknown): Scope<Variable> {
  const scope = new Scope<Variable>();
  scope.declare('$', { value: data });
  return scope;
}

export function execute(context: ExecContext, data: unknown): string {
  const state = new State(context, data);
  state.run();
  return state.output();
}

/** A command result of Go type interface{} is unwrapped, which turns nil into the invalid value. */
const unwrap = (v: unknown): unknown => (isNil(v) ? NO_VALUE : v);

class State {
  private readonly out: string[] = [];
  private readonly funcs = new Map<string, Func>();
  private vars: Scope<Variable>;
  /** The node being evaluated, for error messages; walk sets it before anything can fail. */
  private node!: ExecNode;
  private templateName: string;
  private depth = 0;

  constructor(
    private readonly context: ExecContext,
    private readonly data: unknown,
  ) {
    this.vars = rootScope(unwrap(data));
    this.templateName = context.name;
    for (const [name, func] of Object.entries(context.funcs)) {
      this.funcs.set(name, { kind: 'func', params: [], rest: 'any', call: (args) => func(...args) });
    }
  }

  run(): void {
    try {
      this.walkList(unwrap(this.data), this.context.templates.get(this.context.name) ?? []);
    } catch (error) {
      // Deep template recursion or cyclic data can exhaust the JS stack long before Go's limits.
      if (error instanceof RangeError) this.errorf(error.message, error);
      throw error;
    }
  }

  output(): string {
    return this.out.join('');
  }

  private at(node: ExecNode): void {
    this.node = node;
  }

  private errorf(message: string, cause?: unknown): never {
    const name = this.templateName;
    const { line, column, byteColumn } = locate(this.context.source, this.node.pos);
    const location = `${this.context.name}:${line}:${byteColumn}`;
    const full = `template: ${location}: executing ${quote(name)} at <${nodeString(this.node)}>: ${message}`;
    throw new TemplateError(full, name, line, column, { cause });
  }

  // Variables.

  private variable(name: string): Variable {
    const variable = this.vars.lookup(name);
    if (variable === undefined) this.errorf(`undefined variable: ${name}`);
    return variable;
  }

  // Walking the tree.

  private walkList(dot: unknown, list: readonly Node[]): Signal {
    for (const node of list) {
      const signal = this.walk(dot, node);
      if (signal) return signal;
    }
    return undefined;
  }

  private walk(dot: unknown, node: Node): Signal {
    this.at(node);
    switch (node.type) {
      case 'action':
        this.walkAction(dot, node);
        return undefined;
      case 'break':
      case 'continue':
        return node.type;
      case 'if':
      case 'with':
        return this.walkIfOrWith(dot, node);
      case 'range':
        this.walkRange(dot, node);
        return undefined;
      case 'template':
        this.walkTemplate(dot, node);
        return undefined;
      case 'text':
        this.out.push(node.text);
        return undefined;
    }
  }

  private walkAction(dot: unknown, node: ActionNode): void {
    const value = this.evalPipeline(dot, node.pipe);
    // A declaration prints nothing.
    if (node.pipe.decl.length === 0) this.printValue(node, value);
  }

  private printValue(node: ActionNode, value: unknown): void {
    this.at(node);
    if (value === NO_VALUE) this.out.push('<no value>');
    else if (typeof value === 'string') this.out.push(value);
    else if (typeof value === 'number' && isGoInt(value)) this.out.push(String(value));
    else if (typeof value !== 'function') this.out.push(sprint([value]));
    else this.errorf(`can't print ${nodeString(node)} of type ${typeName(value)}`);
  }

  private walkIfOrWith(dot: unknown, node: BranchNode): Signal {
    const mark = this.vars.mark;
    const value = this.evalPipeline(dot, node.pipe);
    let signal: Signal;
    if (isTrue(value)) signal = this.walkList(node.type === 'with' ? value : dot, node.list);
    else if (node.elseList) signal = this.walkList(dot, node.elseList);
    this.vars.truncate(mark);
    return signal;
  }

  private walkRange(dot: unknown, node: BranchNode): void {
    this.at(node);
    const mark = this.vars.mark;
    const value = this.evalPipeline(dot, node.pipe);
    const bodyMark = this.vars.mark;
    const { decl } = node.pipe;
    // The variables the range declares or assigns: with two, the index and the element.
    const [first, second] = decl.map((v) => this.variable(v.ident[0]));
    const iterate = (index: unknown, elem: unknown): boolean => {
      if (first) first.value = second ? index : elem;
      if (second) second.value = elem;
      const signal = this.walkList(elem, node.list);
      this.vars.truncate(bodyMark);
      return signal === 'break';
    };
    let empty = true;
    if (typeof value === 'number' && isGoInt(value)) {
      // Go 1.22 ranges over integers: 0, 1, ..., n-1.
      if (decl.length > 1) this.errorf(`can't use ${sprint([value])} to iterate over more than one variable`);
      for (let i = 0; i < value; i++) {
        empty = false;
        if (iterate(NO_VALUE, i)) break;
      }
    } else if (Array.isArray(value)) {
      for (let i = 0; i < value.length; i++) {
        empty = false;
        if (iterate(i, elementAt(value, i))) break;
      }
    } else if (isMap(value)) {
      for (const key of mapKeys(value)) {
        empty = false;
        if (iterate(key, value[key])) break;
      }
    } else if (value !== NO_VALUE) {
      // Nil ranges like an empty map; anything else cannot be ranged over.
      this.errorf(`range can't iterate over ${sprint([value])}`);
    }
    if (empty && node.elseList) this.walkList(dot, node.elseList);
    this.vars.truncate(mark);
  }

  private walkTemplate(dot: unknown, node: TemplateNode): void {
    this.at(node);
    const list = this.context.templates.get(node.name);
    if (list === undefined) this.errorf(`template ${quote(node.name)} not defined`);
    if (this.depth === MAX_TEMPLATE_DEPTH) {
      this.errorf(`exceeded maximum template depth (${MAX_TEMPLATE_DEPTH})`);
    }
    const value = this.evalPipeline(dot, node.pipe);
    // No dynamic scoping: the template sees only $, bound to its data.
    const caller = { vars: this.vars, templateName: this.templateName };
    this.vars = rootScope(value);
    this.templateName = node.name;
    this.depth++;
    this.walkList(value, list);
    this.depth--;
    this.vars = caller.vars;
    this.templateName = caller.templateName;
  }

  // Evaluating pipelines.

  /** The declared variables of the pipeline stay on the stack: the caller pops them. */
  private evalPipeline(dot: unknown, pipe: PipeNode | undefined): unknown {
    if (pipe === undefined) return NO_VALUE;
    this.at(pipe);
    let value: unknown = MISSING;
    for (const cmd of pipe.cmds) value = unwrap(this.evalCommand(dot, cmd, value));
    for (const variable of pipe.decl) {
      if (pipe.isAssign) this.variable(variable.ident[0]).value = value;
      else this.vars.declare(variable.ident[0], { value });
    }
    return value;
  }

  /** `final` is the value of the previous command, passed as the last argument. */
  private evalCommand(dot: unknown, cmd: CommandNode, final: unknown): unknown {
    const [first] = cmd.args;
    switch (first.type) {
      case 'field':
        return this.evalFieldNode(dot, first, cmd.args, final);
      case 'chain':
        return this.evalChainNode(dot, first, cmd.args, final);
      case 'identifier':
        return this.evalFunction(dot, first, cmd, cmd.args, final);
      case 'pipe':
        this.notAFunction(first, cmd.args, final);
        return this.evalPipeline(dot, first);
      case 'variable':
        return this.evalVariableNode(first, cmd.args, final);
    }
    this.at(first);
    this.notAFunction(first, cmd.args, final);
    switch (first.type) {
      case 'bool':
        return first.value;
      case 'dot':
        return dot;
      case 'nil':
        return this.errorf('nil is not a command');
      case 'number':
        return this.idealConstant(first);
      case 'string':
        return first.text;
    }
  }

  private notAFunction(node: ArgNode, args: readonly ArgNode[], final: unknown): void {
    if (args.length > 1 || final !== MISSING) {
      this.errorf(`can't give argument to non-function ${nodeString(node)}`);
    }
  }

  private idealConstant(node: NumberNode): number {
    this.at(node);
    if (node.kind === 'uint') this.errorf(`${node.text} overflows int`);
    return node.value;
  }

  private evalFieldNode(dot: unknown, field: FieldNode, args: readonly ArgNode[], final: unknown): unknown {
    this.at(field);
    return this.evalFieldChain(dot, field.ident, args, final);
  }

  private evalChainNode(dot: unknown, chain: ChainNode, args: readonly ArgNode[], final: unknown): unknown {
    this.at(chain);
    const receiver = this.evalArg(dot, 'value', chain.node);
    return this.evalFieldChain(receiver, chain.fields, args, final);
  }

  private evalVariableNode(variable: VariableNode, args: readonly ArgNode[], final: unknown): unknown {
    this.at(variable);
    const [name, ...fields] = variable.ident;
    const value = this.variable(name).value;
    if (fields.length === 0) {
      this.notAFunction(variable, args, final);
      return value;
    }
    return this.evalFieldChain(value, fields, args, final);
  }

  /** Walks .X.Y.Z from the receiver; only the last field sees the command's arguments. */
  private evalFieldChain(
    receiver: unknown,
    fields: readonly string[],
    args: readonly ArgNode[],
    final: unknown,
  ): unknown {
    let value = receiver;
    const last = fields.length - 1;
    for (let i = 0; i < last; i++) value = this.evalField(fields[i] ?? '', NO_ARGS, MISSING, value);
    return this.evalField(fields[last] ?? '', args, final, value);
  }

  private evalField(field: string, args: readonly ArgNode[], final: unknown, receiver: unknown): unknown {
    const { missingKey } = this.context;
    if (receiver === NO_VALUE) {
      if (missingKey === 'error') this.errorf(`nil data; no entry for key ${quote(field)}`);
      return NO_VALUE;
    }
    if (isNil(receiver)) this.errorf(`nil pointer evaluating interface {}.${field}`);
    if (!isMap(receiver)) this.errorf(`can't evaluate field ${field} in type ${typeName(receiver)}`);
    if (args.length > 1 || final !== MISSING) this.errorf(`${field} is not a method but has arguments`);
    const value = mapGet(receiver, field);
    if (value !== undefined) return value;
    if (missingKey === 'error') this.errorf(`map has no entry for key ${quote(field)}`);
    // The zero value of interface{} is nil.
    return missingKey === 'zero' ? null : NO_VALUE;
  }

  // Calling functions.

  /**
   * Calls a function. As in Go, `args` starts with the function's own node, and `cmd` is
   * where an error it returns is reported. Functions passed in by the caller shadow builtins.
   */
  private evalFunction(
    dot: unknown,
    node: IdentifierNode,
    cmd: ExecNode,
    args: readonly ArgNode[],
    final: unknown,
  ): unknown {
    this.at(node);
    const name = node.name;
    const func = this.funcs.get(name) ?? BUILTINS.get(name);
    if (func === undefined) this.errorf(`${quote(name)} is not a defined function`);
    const fixed = func.params.length;
    const given = args.length - 1;
    const count = given + (final === MISSING ? 0 : 1);
    if (func.rest !== undefined && count < fixed) {
      this.errorf(`wrong number of args for ${name}: want at least ${fixed} got ${given}`);
    }
    if (func.rest === undefined && count !== fixed) {
      this.errorf(`wrong number of args for ${name}: want ${fixed} got ${count}`);
    }
    const paramType = (i: number): ParamType => func.params[i] ?? func.rest ?? 'any';
    if (func.kind === 'logic') {
      // and/or stop at the first argument that decides the result, and return it.
      let value: unknown = NO_VALUE;
      for (const arg of args.slice(1)) {
        value = this.evalArg(dot, 'value', arg);
        if (isTrue(value) === func.or) return value;
      }
      return final === MISSING ? value : final;
    }
    const argv: unknown[] = [];
    if (name === 'call' && !this.funcs.has(name)) {
      // Go names the callee in call's errors the way it was written.
      const callee = args[1];
      argv.push(callee ? nodeString(callee) : `<${typeName(final)} Value>`);
    }
    args.forEach((arg, i) => {
      if (i > 0) argv.push(this.evalArg(dot, paramType(i - 1), arg));
    });
    if (final !== MISSING) argv.push(this.validate(final, paramType(count - 1)));
    try {
      return func.call(argv);
    } catch (error) {
      this.at(cmd);
      this.errorf(`error calling ${name}: ${error instanceof Error ? error.message : String(error)}`, error);
    }
  }

  private evalArg(dot: unknown, type: ParamType, node: ArgNode): unknown {
    this.at(node);
    switch (node.type) {
      case 'dot':
        return this.validate(dot, type);
      case 'nil':
        if (type === 'string') this.errorf('cannot assign nil to string');
        return type === 'any' ? null : NO_VALUE;
      case 'field':
        return this.validate(this.evalFieldNode(dot, node, [node], MISSING), type);
      case 'variable':
        return this.validate(this.evalVariableNode(node, [], MISSING), type);
      case 'pipe':
        return this.validate(this.evalPipeline(dot, node), type);
      case 'identifier':
        return this.validate(this.evalFunction(dot, node, node, [node], MISSING), type);
      case 'chain':
        return this.validate(this.evalChainNode(dot, node, [], MISSING), type);
    }
    if (type === 'string' && node.type !== 'string') {
      this.errorf(`expected string; found ${nodeString(node)}`);
    }
    switch (node.type) {
      case 'bool':
        return node.value;
      case 'number':
        return this.idealConstant(node);
      case 'string':
        return node.text;
    }
  }

  /** Go's validateType: converts a value for the parameter that receives it. */
  private validate(value: unknown, type: ParamType): unknown {
    switch (type) {
      case 'value':
        return value;
      case 'any':
        return isNil(value) ? null : value;
      case 'string':
        if (typeof value === 'string') return value;
        if (value === NO_VALUE) this.errorf('invalid value; expected string');
        return this.errorf(`wrong type for value; expected string; got ${typeName(value)}`);
    }
  }
}
