import assert from "node:assert/strict";
import { X509Certificate, createPrivateKey } from "node:crypto";
import { once } from "node:events";
import { createServer, get } from "node:https";
import type { AddressInfo } from "node:net";
import { test } from "node:test";
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
    assert.ok(new Date(cert.validFrom).getTime() <= now.getTime() - 59 * 60_000, "valid from an hour back, for clock skew");
    assert.ok(new Date(cert.validTo).getTime() >= now.getTime() + 24 * 3_600_000, "valid for the whole run");
  }
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
