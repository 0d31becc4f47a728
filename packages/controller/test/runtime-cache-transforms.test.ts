import { describe, expect, it } from 'vitest';
import { githubAppCredentials } from '../src/github/app-credentials.js';
import { SECRET_VALUE_PLACEHOLDER, secretKeysOnly } from '../src/runtime/cache-transforms.js';

const b64 = (text: string) => Buffer.from(text).toString('base64');

describe('secretKeysOnly', () => {
  const secret = {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: {
      name: 'github-app',
      namespace: 'team',
      labels: { team: 'a' },
      annotations: {
        'kubectl.kubernetes.io/last-applied-configuration': `{"data":{"privateKey":"${b64('PEM')}"}}`,
      },
      managedFields: [{ manager: 'kubectl' }],
    },
    type: 'Opaque',
    data: { appID: b64('42'), installationID: b64('7'), privateKey: b64('-----BEGIN KEY-----'), empty: '' },
  };

  it('keeps which keys hold a value and none of the values, annotations or managed fields', () => {
    const cached = secretKeysOnly(structuredClone(secret));
    expect(cached).toEqual({
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'github-app', namespace: 'team', labels: { team: 'a' } },
      type: 'Opaque',
      data: {
        appID: SECRET_VALUE_PLACEHOLDER,
        installationID: SECRET_VALUE_PLACEHOLDER,
        privateKey: SECRET_VALUE_PLACEHOLDER,
        empty: '',
      },
    });
    expect(JSON.stringify(cached)).not.toContain(b64('PEM'));
    expect(JSON.stringify(cached)).not.toContain(b64('-----BEGIN KEY-----'));
  });

  it('still tells a GitHub App Secret from a token Secret', () => {
    expect(githubAppCredentials(secretKeysOnly(structuredClone(secret)).data)).toBeDefined();
    const token = { ...structuredClone(secret), data: { GITHUB_TOKEN: b64('ghp_x'), privateKey: '' } };
    expect(githubAppCredentials(secretKeysOnly(token).data)).toBeUndefined();
  });
});
