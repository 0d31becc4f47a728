import { quote } from './text.js';

// The parse tree, shaped like Go's text/template/parse nodes. `pos` is the offset of the
// node in the source; it is turned into a line and column only when an error is reported.

export type Node = ActionNode | BranchNode | BreakNode | ContinueNode | TemplateNode | TextNode;

export interface TextNode {
  readonly type: 'text';
  readonly pos: number;
  readonly text: string;
}

export interface ActionNode {
  readonly type: 'action';
  readonly pos: number;
  readonly pipe: PipeNode;
}

export interface BranchNode {
  readonly type: 'if' | 'range' | 'with';
  readonly pos: number;
  readonly pipe: PipeNode;
  readonly list: readonly Node[];
  /** Absent when there is no {{else}}. */
  readonly elseList: readonly Node[] | undefined;
}

export interface BreakNode {
  readonly type: 'break';
  readonly pos: number;
}

export interface ContinueNode {
  readonly type: 'continue';
  readonly pos: number;
}

export interface TemplateNode {
  readonly type: 'template';
  readonly pos: number;
  readonly name: string;
  /** Absent in {{template "name"}}, which runs the template with nil data. */
  readonly pipe: PipeNode | undefined;
}

export interface PipeNode {
  readonly type: 'pipe';
  readonly pos: number;
  /** Whether the variables are assigned (=) rather than declared (:=). */
  readonly isAssign: boolean;
  readonly decl: readonly VariableNode[];
  readonly cmds: readonly CommandNode[];
}

export interface CommandNode {
  readonly type: 'command';
  readonly pos: number;
  readonly args: readonly [ArgNode, ...ArgNode[]];
}

export type ArgNode =
  | BoolNode
  | ChainNode
  | DotNode
  | FieldNode
  | IdentifierNode
  | NilNode
  | NumberNode
  | PipeNode
  | StringNode
  | VariableNode;

export type Idents = readonly [string, ...string[]];

/** .A.B.C */
export interface FieldNode {
  readonly type: 'field';
  readonly pos: number;
  readonly ident: Idents;
}

/** $x.A.B; the first ident is the variable name, with its '$'. */
export interface VariableNode {
  readonly type: 'variable';
  readonly pos: number;
  readonly ident: Idents;
}

/** (pipeline).A.B, or a function call followed by fields. */
export interface ChainNode {
  readonly type: 'chain';
  readonly pos: number;
  readonly node: ArgNode;
  readonly fields: Idents;
}

export interface IdentifierNode {
  readonly type: 'identifier';
  readonly pos: number;
  readonly name: string;
}

export interface DotNode {
  readonly type: 'dot';
  readonly pos: number;
}

export interface NilNode {
  readonly type: 'nil';
  readonly pos: number;
}

export interface BoolNode {
  readonly type: 'bool';
  readonly pos: number;
  readonly value: boolean;
}

export interface NumberNode {
  readonly type: 'number';
  readonly pos: number;
  readonly text: string;
  readonly value: number;
  readonly kind: 'int' | 'uint' | 'float';
}

export interface StringNode {
  readonly type: 'string';
  readonly pos: number;
  /** The literal as written, quotes included. */
  readonly quoted: string;
  readonly text: string;
}

export type ExecNode = ArgNode | CommandNode | Node;

const listString = (list: readonly Node[]): string => list.map(nodeString).join('');

/** Go's Node.String(), which execution errors quote as the context: at <.Foo>. */
export function nodeString(node: ExecNode): string {
  switch (node.type) {
    case 'text':
      return node.text;
    case 'action':
      return `{{${nodeString(node.pipe)}}}`;
    case 'if':
    case 'range':
    case 'with': {
      const elseList = node.elseList ? `{{else}}${listString(node.elseList)}` : '';
      return `{{${node.type} ${nodeString(node.pipe)}}}${listString(node.list)}${elseList}{{end}}`;
    }
    case 'break':
    case 'continue':
      return `{{${node.type}}}`;
    case 'template':
      return `{{template ${quote(node.name)}${node.pipe ? ` ${nodeString(node.pipe)}` : ''}}}`;
    case 'pipe': {
      const decl = node.decl.length
        ? `${node.decl.map(nodeString).join(', ')} ${node.isAssign ? '=' : ':='} `
        : '';
      return decl + node.cmds.map(nodeString).join(' | ');
    }
    case 'command':
      return node.args
        .map((arg) => (arg.type === 'pipe' ? `(${nodeString(arg)})` : nodeString(arg)))
        .join(' ');
    case 'field':
      return node.ident.map((id) => `.${id}`).join('');
    case 'variable':
      return node.ident.join('.');
    case 'chain': {
      const base = node.node.type === 'pipe' ? `(${nodeString(node.node)})` : nodeString(node.node);
      return base + node.fields.map((id) => `.${id}`).join('');
    }
    case 'identifier':
      return node.name;
    case 'dot':
      return '.';
    case 'nil':
      return 'nil';
    case 'bool':
      return String(node.value);
    case 'number':
      return node.text;
    case 'string':
      return node.quoted;
  }
}
