// Issues a small private PKI with node-forge: a CA, a server certificate for the names clients and
// the server's roles use, and a client certificate. Keys come from Node's crypto (native RSA), so
// nothing shells out to openssl. Pure: PEM text in memory; src/tls/files.ts writes it.
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { isIP } from 'node:net';
import forge from 'node-forge';

export interface KeyPairPem {
  readonly cert: string;
  readonly key: string;
}
export interface IssuedCertificates {
  readonly ca: KeyPairPem;
  readonly server: KeyPairPem;
  readonly client: KeyPairPem;
}
export interface IssueOptions {
  /** Names and addresses the server certificate carries (DNS names and IPs, told apart here). */
  readonly serverNames: readonly string[];
  /** Validity of the server and client certificates, days. @default 365 */
  readonly days?: number;
  /** Validity of the CA, days. @default 3650 */
  readonly caDays?: number;
  /** The issue time. @default - now */
  readonly now?: Date;
  /** The random source of the serial numbers (tests pass worst cases). @default crypto.randomBytes */
  readonly random?: (size: number) => Buffer;
}

const DAY_MS = 86_400_000;

function newKey(): { forgeKey: forge.pki.rsa.PrivateKey; pem: string } {
  const { privateKey } = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
    publicKeyEncoding: { type: 'spki', format: 'pem' },
  });
  return { forgeKey: forge.pki.privateKeyFromPem(privateKey) as forge.pki.rsa.PrivateKey, pem: privateKey };
}

/**
 * A positive random serial of 16 octets, as RFC 5280 asks (at most 20), DER-minimal: the first octet
 * is 0x40-0x7f, so forge never writes a leading zero octet, which Go and OpenSSL reject as padding
 * (a zero first random octet did that once in ~500 certificates).
 */
export function serialNumber(random: (size: number) => Buffer = randomBytes): string {
  const octets = random(16);
  octets[0] = ((octets[0] ?? 0) & 0x3f) | 0x40;
  return octets.toString('hex');
}

interface Spec {
  readonly commonName: string;
  readonly days: number;
  readonly now: Date;
  readonly extensions: object[];
  readonly random?: (size: number) => Buffer;
  /** The issuer; absent: self-signed. */
  readonly issuer?: { cert: forge.pki.Certificate; key: forge.pki.rsa.PrivateKey };
}

function sign(spec: Spec): { cert: forge.pki.Certificate; key: forge.pki.rsa.PrivateKey; pem: KeyPairPem } {
  const { forgeKey, pem } = newKey();
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.setRsaPublicKey(forgeKey.n, forgeKey.e);
  cert.serialNumber = serialNumber(spec.random);
  // Backdated a minute: a client whose clock is slightly behind still accepts a fresh certificate.
  cert.validity.notBefore = new Date(spec.now.getTime() - 60_000);
  cert.validity.notAfter = new Date(spec.now.getTime() + spec.days * DAY_MS);
  cert.setSubject([{ name: 'commonName', value: spec.commonName }]);
  cert.setIssuer((spec.issuer?.cert ?? cert).subject.attributes);
  const issuerCert = spec.issuer?.cert ?? cert;
  cert.setExtensions([
    ...spec.extensions,
    { name: 'subjectKeyIdentifier' },
    ...(spec.issuer
      ? [{ name: 'authorityKeyIdentifier', keyIdentifier: issuerCert.generateSubjectKeyIdentifier().getBytes() }]
      : []),
  ]);
  cert.sign(spec.issuer?.key ?? forgeKey, forge.md.sha256.create());
  return { cert, key: forgeKey, pem: { cert: forge.pki.certificateToPem(cert), key: pem } };
}

/** subjectAltName entries: type 7 (IP) for addresses, type 2 (DNS) for names; duplicates dropped. */
function altNames(names: readonly string[]): object[] {
  return [...new Set(names)].map((n) => (isIP(n) ? { type: 7, ip: n } : { type: 2, value: n }));
}

export function issueCertificates(o: IssueOptions): IssuedCertificates {
  const now = o.now ?? new Date();
  const days = o.days ?? 365;
  const ca = sign({
    commonName: 'temporal-ctl CA',
    days: o.caDays ?? 3650,
    now,
    random: o.random,
    extensions: [
      { name: 'basicConstraints', cA: true, pathLenConstraint: 0, critical: true },
      { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true },
    ],
  });
  const issuer = { cert: ca.cert, key: ca.key };
  const leaf = (usage: object) => [
    { name: 'basicConstraints', cA: false, critical: true },
    { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
    usage,
  ];
  // clientAuth too: the server's roles present this certificate to each other under mTLS.
  const server = sign({
    commonName: o.serverNames[0] ?? 'temporal',
    days,
    now,
    random: o.random,
    issuer,
    extensions: [
      ...leaf({ name: 'extKeyUsage', serverAuth: true, clientAuth: true }),
      { name: 'subjectAltName', altNames: altNames(o.serverNames) },
    ],
  });
  const client = sign({
    commonName: 'temporal-ctl client',
    days,
    now,
    random: o.random,
    issuer,
    extensions: leaf({ name: 'extKeyUsage', clientAuth: true }),
  });
  return { ca: ca.pem, server: server.pem, client: client.pem };
}
