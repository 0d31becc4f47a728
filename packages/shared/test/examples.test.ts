import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { formatFieldError, validateKelosObject } from '../src/index.js';

const examplesDir = fileURLToPath(new URL('../../../examples/', import.meta.url));

function exampleFiles(): string[] {
  return readdirSync(examplesDir, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.yaml'))
    .sort();
}

describe('examples/', () => {
  it('has examples', () => {
    expect(exampleFiles().length).toBeGreaterThanOrEqual(6);
  });

  it.each(exampleFiles())('%s is valid against the CRD schemas', (file) => {
    const docs = parseAllDocuments(readFileSync(join(examplesDir, file), 'utf8'));
    expect(docs.length).toBeGreaterThan(0);
    for (const doc of docs) {
      expect(doc.errors).toEqual([]);
      const errors = validateKelosObject(doc.toJS()).errors.map(formatFieldError);
      expect(errors).toEqual([]);
    }
  });
});
