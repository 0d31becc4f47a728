import { API_GROUP_VERSION, KINDS } from '../constants/api.js';
import { openAPISchemaFor } from '../crd/build-crd.js';
import { KIND_DEFINITIONS, KIND_ORDER } from '../crd/kinds.js';
import type { JSONSchemaProps } from '../validation/index.js';

interface Row {
  path: string;
  type: string;
  required: boolean;
  constraints: string[];
  description: string;
}

function typeName(schema: JSONSchemaProps): string {
  if (schema['x-kubernetes-int-or-string']) return 'int or string';
  if (schema.type === 'array') return `[]${schema.items ? typeName(schema.items as JSONSchemaProps) : 'any'}`;
  if (
    schema.type === 'object' &&
    schema.additionalProperties &&
    typeof schema.additionalProperties === 'object'
  ) {
    return `map[string]${typeName(schema.additionalProperties)}`;
  }
  if (schema.type === 'integer' && schema.format) return schema.format;
  return schema.type ?? 'any';
}

function constraintsOf(schema: JSONSchemaProps): string[] {
  const out: string[] = [];
  if (schema.default !== undefined) out.push(`default \`${JSON.stringify(schema.default)}\``);
  if (schema.enum) out.push(`one of ${schema.enum.map((v) => `\`${String(v)}\``).join(', ')}`);
  if (schema.pattern) out.push(`pattern \`${schema.pattern}\``);
  if (schema.minimum !== undefined) out.push(`≥ ${schema.minimum}`);
  if (schema.maximum !== undefined) out.push(`≤ ${schema.maximum}`);
  if (schema.minLength !== undefined) out.push(`length ≥ ${schema.minLength}`);
  if (schema.maxLength !== undefined) out.push(`length ≤ ${schema.maxLength}`);
  if (schema.minItems !== undefined) out.push(`≥ ${schema.minItems} items`);
  if (schema.maxItems !== undefined) out.push(`≤ ${schema.maxItems} items`);
  const items = schema.items as JSONSchemaProps | undefined;
  if (items?.enum) out.push(`items one of ${items.enum.map((v) => `\`${String(v)}\``).join(', ')}`);
  if (items?.pattern) out.push(`items match \`${items.pattern}\``);
  for (const rule of schema['x-kubernetes-validations'] ?? []) {
    out.push(`rule \`${rule.rule}\`${rule.message ? `: "${rule.message}"` : ''}`);
  }
  if (schema['x-kubernetes-preserve-unknown-fields']) out.push('other fields kept as written');
  return out;
}

function collect(schema: JSONSchemaProps, path: string, required: boolean, rows: Row[]): void {
  rows.push({
    path,
    type: typeName(schema),
    required,
    constraints: constraintsOf(schema),
    description: schema.description ?? '',
  });
  const object = schema.type === 'array' ? (schema.items as JSONSchemaProps | undefined) : schema;
  const prefix = schema.type === 'array' ? `${path}[]` : path;
  for (const [name, child] of Object.entries(object?.properties ?? {})) {
    collect(child, `${prefix}.${name}`, object?.required?.includes(name) ?? false, rows);
  }
}

const escapeCell = (text: string) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');

function table(rows: Row[]): string {
  const lines = [
    '| Field | Type | Required | Default and validation | Description |',
    '|---|---|---|---|---|',
  ];
  for (const row of rows) {
    lines.push(
      `| \`${row.path}\` | ${escapeCell(row.type)} | ${row.required ? 'yes' : ''} | ${escapeCell(
        row.constraints.join('; '),
      )} | ${escapeCell(row.description)} |`,
    );
  }
  return lines.join('\n');
}

/** docs/api.md: every field of the four kinds, generated from the same schemas as the CRDs. */
export function renderApiReference(): string {
  const parts = [
    '# API reference: kelos.dev/v1alpha1',
    '',
    '<!-- Generated from packages/shared/src/schema by `pnpm generate`. Do not edit. -->',
    '',
    `All kinds are namespaced and use \`apiVersion: ${API_GROUP_VERSION}\`. Kubernetes core types embedded in`,
    '`podOverrides` (Container, Volume, Affinity, security contexts) are passed to the Job as written;',
    'the CRD declares only the fields Kelos checks itself, and the API server checks the rest when the Job is created.',
    '',
  ];
  for (const kind of KIND_ORDER) {
    const definition = KIND_DEFINITIONS[kind];
    const schema = openAPISchemaFor(definition);
    parts.push(`## ${kind}`, '', `${definition.description} Resource \`${KINDS[kind].plural}\`.`, '');
    for (const section of ['spec', 'status'] as const) {
      const sub = schema.properties?.[section];
      if (!sub) continue;
      const rows: Row[] = [];
      collect(sub, section, schema.required?.includes(section) ?? false, rows);
      parts.push(`### ${kind} ${section}`, '', table(rows), '');
    }
    if (definition.printerColumns.length > 0) {
      parts.push(
        `Columns of \`kubectl get ${KINDS[kind].plural}\`: ${definition.printerColumns
          .map((c) => `${c.name} (\`${c.jsonPath}\`${c.priority ? ', wide' : ''})`)
          .join(', ')}.`,
        '',
      );
    }
  }
  return `${parts.join('\n').trimEnd()}\n`;
}
