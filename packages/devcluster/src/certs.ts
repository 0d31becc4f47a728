import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import forge from 'node-forge';

/** The cluster's PKI: a CA and a serving certificate for the loopback addresses, all PEM. */
export interface ServingCerts {
  caCert: string;
  caKey: string;
  cert: string;
  key: string;
}

const FILES = { caCert: 'ca.crt', caKey: 'ca.key', cert: 'server.crt', key: 'server.key' } as const;
const TEN_YEARS_MS = 10 * 365 * 24 * 3600 * 1000;

// RSA key generation in pure JS takes seconds; Node's native generator takes milliseconds.
function rsaKeyPair(): {
  privateKey: forge.pki.rsa.PrivateKey;
  publicKey: forge.pki.rsa.PublicKey;
  pem: string;
} {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const pem = privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();
  const key = forge.pki.privateKeyFromPem(pem) as forge.pki.rsa.PrivateKey;
  return { privateKey: key, publicKey: forge.pki.setRsaPublicKey(key.n, key.e), pem };
}

function baseCert(publicKey: forge.pki.PublicKey, commonName: string): forge.pki.Certificate {
  const cert = forge.pki.createCertificate();
  cert.publicKey = publicKey;
  // A positive serial: Go's x509 rejects negative ones, so the top bit stays clear.
  const serial = randomBytes(16);
  serial[0] = (serial[0] ?? 0) & 0x7f;
  cert.serialNumber = serial.toString('hex');
  const now = Date.now();
  cert.validity.notBefore = new Date(now - 3600 * 1000);
  cert.validity.notAfter = new Date(now + TEN_YEARS_MS);
  cert.setSubject([{ name: 'commonName', value: commonName }]);
  return cert;
}

export function generateServingCerts(): ServingCerts {
  const ca = rsaKeyPair();
  const caCert = baseCert(ca.publicKey, 'kelos-devcluster-ca');
  caCert.setIssuer(caCert.subject.attributes);
  caCert.setExtensions([
    { name: 'basicConstraints', cA: true, critical: true },
    { name: 'keyUsage', keyCertSign: true, cRLSign: true, digitalSignature: true, critical: true },
    { name: 'subjectKeyIdentifier' },
  ]);
  caCert.sign(ca.privateKey, forge.md.sha256.create());

  const server = rsaKeyPair();
  const cert = baseCert(server.publicKey, 'kelos-devcluster');
  cert.setIssuer(caCert.subject.attributes);
  cert.setExtensions([
    { name: 'basicConstraints', cA: false },
    { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
    { name: 'extKeyUsage', serverAuth: true },
    {
      name: 'subjectAltName',
      altNames: [
        { type: 2, value: 'localhost' },
        { type: 7, ip: '127.0.0.1' },
        { type: 7, ip: '::1' },
      ],
    },
    { name: 'authorityKeyIdentifier', keyIdentifier: caCert.generateSubjectKeyIdentifier().getBytes() },
  ]);
  cert.sign(ca.privateKey, forge.md.sha256.create());

  return {
    caCert: forge.pki.certificateToPem(caCert),
    caKey: ca.pem,
    cert: forge.pki.certificateToPem(cert),
    key: server.pem,
  };
}

/** Loads the PKI from `dir/pki`, generating and storing it on first use. */
export function loadOrCreateCerts(dir: string): ServingCerts {
  const pki = join(dir, 'pki');
  const paths = Object.fromEntries(Object.entries(FILES).map(([k, f]) => [k, join(pki, f)])) as Record<
    keyof ServingCerts,
    string
  >;
  if (Object.values(paths).every((p) => existsSync(p))) {
    return {
      caCert: readFileSync(paths.caCert, 'utf8'),
      caKey: readFileSync(paths.caKey, 'utf8'),
      cert: readFileSync(paths.cert, 'utf8'),
      key: readFileSync(paths.key, 'utf8'),
    };
  }
  const certs = generateServingCerts();
  mkdirSync(pki, { recursive: true, mode: 0o700 });
  for (const k of Object.keys(FILES) as (keyof ServingCerts)[]) {
    writeFileSync(paths[k], certs[k], { mode: k.endsWith('Key') || k === 'key' ? 0o600 : 0o644 });
  }
  return certs;
}
