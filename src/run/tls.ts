import { createHash, generateKeyPairSync, randomBytes, sign, type KeyObject } from "node:crypto";

/**
 * A certificate authority made for one run, and a server certificate it signed, so that a
 * service of the throw-away stack can speak HTTPS to clients told to trust only this CA.
 * Written with `node:crypto` and a minimal DER encoder (X.509 v3, ECDSA P-256 / SHA-256).
 */
export interface RunTls {
  /** The CA certificate (PEM): what clients trust, e.g. through NODE_EXTRA_CA_CERTS. */
  caCert: string;
  /** The server certificate (PEM) for `dnsNames`, signed by the CA. */
  serverCert: string;
  /** The server's private key (PKCS #8 PEM). The CA's key is never kept. */
  serverKey: string;
}

const HOUR_MS = 3_600_000;
/** Long enough for any run; a clock a little behind the host's still accepts it. */
const VALID_FOR_MS = 48 * HOUR_MS;

// DER: tag, length, contents.
function tlv(tag: number, ...contents: Buffer[]): Buffer {
  const body = Buffer.concat(contents);
  const n = body.length;
  const length = n < 0x80 ? Buffer.from([n]) : lengthOfLength(n);
  return Buffer.concat([Buffer.from([tag]), length, body]);
}

function lengthOfLength(n: number): Buffer {
  const bytes: number[] = [];
  for (let rest = n; rest > 0; rest = Math.floor(rest / 256)) bytes.unshift(rest % 256);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}

const sequence = (...items: Buffer[]) => tlv(0x30, ...items);
const set = (...items: Buffer[]) => tlv(0x31, ...items);
const octetString = (bytes: Buffer) => tlv(0x04, bytes);
const bitString = (bytes: Buffer, unusedBits = 0) => tlv(0x03, Buffer.from([unusedBits]), bytes);
const utf8String = (text: string) => tlv(0x0c, Buffer.from(text, "utf8"));
const TRUE = tlv(0x01, Buffer.from([0xff]));

/** A non-negative INTEGER from big-endian bytes (a leading 0x00 when the high bit is set). */
function integer(bytes: Buffer): Buffer {
  return tlv(0x02, bytes[0] !== undefined && bytes[0] >= 0x80 ? Buffer.concat([Buffer.from([0]), bytes]) : bytes);
}

function oid(dotted: string): Buffer {
  const [first = 0, second = 0, ...rest] = dotted.split(".").map(Number);
  const bytes = [40 * first + second];
  for (const arc of rest) {
    const base128 = [arc & 0x7f];
    for (let v = arc >>> 7; v > 0; v >>>= 7) base128.unshift((v & 0x7f) | 0x80);
    bytes.push(...base128);
  }
  return tlv(0x06, Buffer.from(bytes));
}

/** UTCTime, `YYMMDDHHMMSSZ` (valid for years before 2050, as X.509 requires). */
function utcTime(date: Date): Buffer {
  const text = date.toISOString().replace(/[-:T]/g, "").slice(2, 14) + "Z";
  return tlv(0x17, Buffer.from(text, "ascii"));
}

const OID = {
  commonName: "2.5.4.3",
  ecdsaWithSha256: "1.2.840.10045.4.3.2",
  subjectKeyIdentifier: "2.5.29.14",
  keyUsage: "2.5.29.15",
  subjectAltName: "2.5.29.17",
  basicConstraints: "2.5.29.19",
  authorityKeyIdentifier: "2.5.29.35",
  extKeyUsage: "2.5.29.37",
  serverAuth: "1.3.6.1.5.5.7.3.1",
} as const;

const name = (commonName: string) => sequence(set(sequence(oid(OID.commonName), utf8String(commonName))));

function extension(id: string, critical: boolean, value: Buffer): Buffer {
  return sequence(oid(id), ...(critical ? [TRUE] : []), octetString(value));
}

/** RFC 7093 method 1: the leftmost 160 bits of the SHA-256 of the public key info. */
function keyId(spki: Buffer): Buffer {
  return createHash("sha256").update(spki).digest().subarray(0, 20);
}

interface CertificateFields {
  subject: string;
  issuer: string;
  subjectKey: KeyObject;
  issuerKey: KeyObject;
  issuerKeyId: Buffer;
  extensions: Buffer[];
  now: Date;
}

function certificate(fields: CertificateFields): Buffer {
  const spki = fields.subjectKey.export({ type: "spki", format: "der" });
  const algorithm = sequence(oid(OID.ecdsaWithSha256));
  // A positive serial in minimal DER form: its first byte is 0x01-0x7f.
  const serial = randomBytes(16);
  serial[0] = (serial[0] ?? 0) & 0x7f || 0x01;
  const tbs = sequence(
    tlv(0xa0, integer(Buffer.from([2]))),
    integer(serial),
    algorithm,
    name(fields.issuer),
    sequence(utcTime(new Date(fields.now.getTime() - HOUR_MS)), utcTime(new Date(fields.now.getTime() + VALID_FOR_MS))),
    name(fields.subject),
    spki,
    tlv(
      0xa3,
      sequence(
        extension(OID.subjectKeyIdentifier, false, octetString(keyId(spki))),
        extension(OID.authorityKeyIdentifier, false, sequence(tlv(0x80, fields.issuerKeyId))),
        ...fields.extensions,
      ),
    ),
  );
  const signature = sign("sha256", tbs, fields.issuerKey);
  return sequence(tbs, algorithm, bitString(signature));
}

function pem(der: Buffer): string {
  const lines = der.toString("base64").match(/.{1,64}/g) ?? [];
  return `-----BEGIN CERTIFICATE-----\n${lines.join("\n")}\n-----END CERTIFICATE-----\n`;
}

/** A fresh CA and a server certificate for `dnsNames` (its subjectAltName), valid from an hour before `now`. */
export function createRunTls(dnsNames: readonly string[], now = new Date()): RunTls {
  const [primary] = dnsNames;
  if (primary === undefined) throw new Error("createRunTls: at least one DNS name is required");
  const ca = generateKeyPairSync("ec", { namedCurve: "P-256" });
  const server = generateKeyPairSync("ec", { namedCurve: "P-256" });
  const caSpki = ca.publicKey.export({ type: "spki", format: "der" });
  const caName = `predeploy run CA ${randomBytes(6).toString("hex")}`;
  const caCert = certificate({
    subject: caName,
    issuer: caName,
    subjectKey: ca.publicKey,
    issuerKey: ca.privateKey,
    issuerKeyId: keyId(caSpki),
    extensions: [
      extension(OID.basicConstraints, true, sequence(TRUE, integer(Buffer.from([0])))),
      // keyCertSign (bit 5) and cRLSign (bit 6): 0b0000011x, one unused bit.
      extension(OID.keyUsage, true, bitString(Buffer.from([0x06]), 1)),
    ],
    now,
  });
  const serverCert = certificate({
    subject: primary,
    issuer: caName,
    subjectKey: server.publicKey,
    issuerKey: ca.privateKey,
    issuerKeyId: keyId(caSpki),
    extensions: [
      extension(OID.basicConstraints, true, sequence()),
      // digitalSignature (bit 0), seven unused bits.
      extension(OID.keyUsage, true, bitString(Buffer.from([0x80]), 7)),
      extension(OID.extKeyUsage, false, sequence(oid(OID.serverAuth))),
      extension(OID.subjectAltName, false, sequence(...dnsNames.map((dns) => tlv(0x82, Buffer.from(dns, "ascii"))))),
    ],
    now,
  });
  return {
    caCert: pem(caCert),
    serverCert: pem(serverCert),
    serverKey: server.privateKey.export({ type: "pkcs8", format: "pem" }).toString(),
  };
}
