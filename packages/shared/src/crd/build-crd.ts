import { API_GROUP, API_VERSION, KINDS, type KindName } from '../constants/api.js';
import type { JSONSchemaProps } from '../validation/index.js';
import { KIND_DEFINITIONS, type KindDefinition, type PrinterColumn } from './kinds.js';

export interface CustomResourceDefinition {
  apiVersion: 'apiextensions.k8s.io/v1';
  kind: 'CustomResourceDefinition';
  metadata: { name: string; annotations?: Record<string, string> };
  spec: {
    group: string;
    names: { kind: string; listKind: string; plural: string; singular: string };
    scope: 'Namespaced';
    versions: Array<{
      name: string;
      served: boolean;
      storage: boolean;
      schema: { openAPIV3Schema: JSONSchemaProps };
      subresources?: { status: Record<string, never> };
      additionalPrinterColumns?: PrinterColumn[];
    }>;
  };
}

/** A TypeBox schema as plain JSON: drops the symbol-keyed bookkeeping TypeBox adds. */
function plain<T>(schema: unknown): T {
  return JSON.parse(JSON.stringify(schema)) as T;
}

export function openAPISchemaFor(definition: KindDefinition): JSONSchemaProps {
  const properties: Record<string, JSONSchemaProps> = {
    apiVersion: {
      type: 'string',
      description: 'Versioned schema of this object, `kelos.dev/v1alpha1`.',
    },
    kind: { type: 'string', description: `Kind of this object, \`${definition.name}\`.` },
    metadata: { type: 'object' },
    spec: plain<JSONSchemaProps>(definition.spec),
  };
  if (definition.status) properties.status = plain<JSONSchemaProps>(definition.status);
  const schema: JSONSchemaProps = { type: 'object', description: definition.description, properties };
  if (definition.specRequired) schema.required = ['spec'];
  return schema;
}

export function buildCrd(kind: KindName): CustomResourceDefinition {
  const definition = KIND_DEFINITIONS[kind];
  const names = KINDS[kind];
  const version: CustomResourceDefinition['spec']['versions'][number] = {
    name: API_VERSION,
    served: true,
    storage: true,
    schema: { openAPIV3Schema: openAPISchemaFor(definition) },
  };
  if (definition.status) version.subresources = { status: {} };
  if (definition.printerColumns.length > 0) {
    version.additionalPrinterColumns = definition.printerColumns.map((column) => ({ ...column }));
  }
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: `${names.plural}.${API_GROUP}` },
    spec: {
      group: API_GROUP,
      names: { kind: names.kind, listKind: names.listKind, plural: names.plural, singular: names.singular },
      scope: 'Namespaced',
      versions: [version],
    },
  };
}
