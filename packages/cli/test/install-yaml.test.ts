import { KIND_ORDER, renderCrdYaml } from '@kelos/shared';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { buildInstallManifests, renderManifestsYaml } from '../src/install/index.js';

function parseDocuments(text: string): unknown[] {
  return parseAllDocuments(text).map((doc) => {
    expect(doc.errors).toEqual([]);
    return doc.toJS();
  });
}

/** The documents as written, each with the newline that ends it. */
function splitDocuments(text: string): string[] {
  return text.split(/^---\n/m);
}

describe('renderManifestsYaml', () => {
  const manifests = buildInstallManifests({ version: 'v1.0.0', imagePullPolicy: 'Always' });
  const yaml = renderManifestsYaml(manifests);

  it('parses back to the same objects, one document each', () => {
    expect(parseDocuments(yaml)).toEqual(manifests);
  });

  it('writes each CRD byte-for-byte as @kelos/shared renders it, less the header comment', () => {
    const docs = splitDocuments(yaml);
    KIND_ORDER.forEach((kind, i) => {
      const generated = renderCrdYaml(kind);
      expect(generated.endsWith(docs[i] ?? '')).toBe(true);
      expect(generated.slice(0, -(docs[i]?.length ?? 0))).toMatch(/^# [^\n]*\n$/);
    });
  });

  it('is stable: the same manifests render to the same text', () => {
    expect(renderManifestsYaml(buildInstallManifests({ version: 'v1.0.0', imagePullPolicy: 'Always' }))).toBe(
      yaml,
    );
  });

  it('writes plain documents, with no anchors or aliases for shared sub-objects', () => {
    const labels = { app: 'x' };
    const text = renderManifestsYaml([
      { kind: 'A', metadata: { labels } },
      { kind: 'B', metadata: { labels }, spec: { selector: labels } },
    ]);
    expect(text).toBe(
      [
        'kind: A',
        'metadata:',
        '  labels:',
        '    app: x',
        '---',
        'kind: B',
        'metadata:',
        '  labels:',
        '    app: x',
      ]
        .concat(['spec:', '  selector:', '    app: x', ''])
        .join('\n'),
    );
    expect(yaml).not.toMatch(/[&*]a\d/);
  });

  it('does not fold long lines', () => {
    const arg = `--github-api-base-url=https://github.example.com/${'x'.repeat(200)}`;
    const text = renderManifestsYaml(buildInstallManifests({ githubApiBaseUrl: arg.slice(22) }));
    expect(text).toContain(`- ${arg}\n`);
  });

  it('renders the controller Deployment readably', () => {
    const deployment = splitDocuments(yaml).at(-1);
    expect(deployment).toContain(
      ['kind: Deployment', 'metadata:', '  name: kelos-controller-manager', '  namespace: kelos-system'].join(
        '\n',
      ),
    );
    expect(deployment).toContain('          image: ghcr.io/kelos-dev/kelos-controller:v1.0.0\n');
    expect(deployment).toContain('            - --leader-elect\n            - --version=v1.0.0\n');
  });

  it('renders nothing for no objects', () => {
    expect(renderManifestsYaml([])).toBe('');
  });
});
