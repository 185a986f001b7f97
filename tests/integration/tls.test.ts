import assert from "node:assert/strict";
import { X509Certificate, createPrivateKey } from "node:crypto";
import { execFile } from "node:child_process";
import { once } from "node:events";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { createServer, get } from "node:https";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { promisify } from "node:util";
import { createRunTls } from "../../src/run/tls.js";

test("the CA is a self-signed CA; the server certificate is signed by it for exactly the given names", () => {
  const now = new Date();
  const tls = createRunTls(["neon", "neon.internal"], now);
  const ca = new X509Certificate(tls.caCert);
  const server = new X509Certificate(tls.serverCert);

  assert.equal(ca.ca, true);
  assert.equal(ca.subject, ca.issuer);
  assert.match(ca.subject, /^CN=predeploy run CA [0-9a-f]{12}$/);
  assert.ok(ca.verify(ca.publicKey), "the CA signed itself");
  assert.ok(ca.checkIssued(ca));

  assert.equal(server.ca, false);
  assert.equal(server.subject, "CN=neon");
  assert.equal(server.issuer, ca.subject);
  assert.equal(server.subjectAltName, "DNS:neon, DNS:neon.internal");
  assert.ok(server.checkIssued(ca));
  assert.ok(server.verify(ca.publicKey), "the CA's signature on the server certificate verifies");
  assert.ok(!server.verify(server.publicKey), "and the server certificate is not self-signed");
  assert.equal(server.checkHost("neon"), "neon");
  assert.equal(server.checkHost("neon.internal"), "neon.internal");
  assert.equal(server.checkHost("db"), undefined);
  assert.deepEqual(server.keyUsage, ["1.3.6.1.5.5.7.3.1"], "extended key usage: TLS server only");
  assert.ok(server.checkPrivateKey(createPrivateKey(tls.serverKey)), "the key is the certificate's");
  assert.notEqual(server.serialNumber, ca.serialNumber);

  for (const cert of [ca, server]) {
    const from = new Date(cert.validFrom).getTime();
    const to = new Date(cert.validTo).getTime();
    assert.ok(from <= now.getTime() - 59 * 60_000 && from >= now.getTime() - 2 * 3_600_000, "valid from an hour back, for clock skew");
    assert.ok(to >= now.getTime() + 47 * 3_600_000 && to <= now.getTime() + 48 * 3_600_000, "valid for the whole run, and not longer");
  }
});

test("only the two certificates and the server's PKCS #8 key are returned: never the CA's key", () => {
  const tls = createRunTls(["neon"]);
  assert.deepEqual(Object.keys(tls).sort(), ["caCert", "serverCert", "serverKey"]);
  assert.match(tls.serverKey, /^-----BEGIN PRIVATE KEY-----\n[\s\S]+\n-----END PRIVATE KEY-----\n$/);
  for (const cert of [tls.caCert, tls.serverCert]) {
    assert.match(cert, /^-----BEGIN CERTIFICATE-----\n[A-Za-z0-9+/=\n]+\n-----END CERTIFICATE-----\n$/, "PEM with LF line ends");
  }
  assert.equal(createPrivateKey(tls.serverKey).asymmetricKeyType, "rsa");
  assert.ok(!new X509Certificate(tls.caCert).checkPrivateKey(createPrivateKey(tls.serverKey)), "the server key is not the CA's");
});

test("every run gets its own CA: another run's CA did not sign this run's certificate", () => {
  const first = createRunTls(["neon"]);
  const second = createRunTls(["neon"]);
  assert.notEqual(first.caCert, second.caCert);
  const ca = new X509Certificate(first.caCert);
  const other = new X509Certificate(second.serverCert);
  assert.equal(other.checkIssued(ca), false);
  assert.equal(other.verify(ca.publicKey), false);
});

test("at least one DNS name is required", () => {
  assert.throws(() => createRunTls([]), /at least one DNS name/);
});

/** GET https://<servername>/ against 127.0.0.1:port, trusting only `ca`; the body, or the TLS error's code. */
async function fetchOver(port: number, servername: string, ca: string): Promise<string> {
  return new Promise((resolve) => {
    const request = get({ host: "127.0.0.1", port, servername, path: "/", ca, headers: { host: servername }, agent: false }, (response) => {
      let body = "";
      response.on("data", (chunk: Buffer) => (body += chunk.toString()));
      response.on("end", () => resolve(body));
    });
    request.on("error", (error: NodeJS.ErrnoException) => resolve(`error ${error.code}`));
  });
}

test("a TLS handshake with the server certificate succeeds for a client trusting only the run's CA", async () => {
  const tls = createRunTls(["neon"]);
  const server = createServer({ key: tls.serverKey, cert: tls.serverCert }, (_req, res) => res.end("hello over tls"));
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const { port } = server.address() as AddressInfo;
  try {
    assert.equal(await fetchOver(port, "neon", tls.caCert), "hello over tls");
    assert.equal(await fetchOver(port, "neon", createRunTls(["neon"]).caCert), "error UNABLE_TO_VERIFY_LEAF_SIGNATURE");
    assert.equal(await fetchOver(port, "db", tls.caCert), "error ERR_TLS_CERT_ALTNAME_INVALID");
  } finally {
    server.close();
  }
});

test("a Node process given only the CA through NODE_EXTRA_CA_CERTS (as the worker is) trusts the server", async () => {
  const tls = createRunTls(["neon"]);
  const dir = await mkdtemp(join(tmpdir(), "predeploy-tls-"));
  const server = createServer({ key: tls.serverKey, cert: tls.serverCert }, (_req, res) => res.end("trusted"));
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const { port } = server.address() as AddressInfo;
  // No `ca` option: only the default store plus NODE_EXTRA_CA_CERTS.
  const client = `require("node:https").get({ host: "127.0.0.1", port: ${port}, servername: "neon", agent: false }, (r) => r.pipe(process.stdout)).on("error", (e) => process.stdout.write("error " + e.code));`;
  const fetchWith = async (caFile: string) =>
    (await promisify(execFile)(process.execPath, ["-e", client], { env: { ...process.env, NODE_EXTRA_CA_CERTS: caFile } })).stdout;
  try {
    await writeFile(join(dir, "run-ca.pem"), tls.caCert);
    await writeFile(join(dir, "other-ca.pem"), createRunTls(["neon"]).caCert);
    assert.equal(await fetchWith(join(dir, "run-ca.pem")), "trusted");
    assert.equal(await fetchWith(join(dir, "other-ca.pem")), "error UNABLE_TO_VERIFY_LEAF_SIGNATURE");
  } finally {
    server.close();
    await rm(dir, { recursive: true, force: true });
  }
});
