import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { redactor } from "../../src/model/redact.js";
import { Format, renderReport } from "../../src/report/render.js";
import { check, finding, reportOf } from "../support/report-fixtures.js";

// A distinctive run that no escaper changes, then characters every escaper touches
// (XML, Markdown, GitHub properties, JSON, URLs): an escaped secret must not slip through.
const CORE = "Zq8vK2mXw";
const SECRET = `${CORE}<&>"|,:%\\\`*_x9`;
const SHORT = "abc";

function leakingReport() {
  return reportOf(
    [
      check({
        id: "verify.intake-e2e",
        stage: "verify",
        title: `intake e2e ${SECRET}`,
        status: "failed",
        summary: `POST with key ${SECRET} returned 500`,
        command: `curl -H 'X-Api-Key: ${SECRET}' http://worker:8787/intake`,
        reproduce: `INTAKE_API_KEY=${SECRET} dagger call pre-deploy --only verify.intake-e2e`,
        findings: [
          finding({ file: `apps/${SECRET}.py`, line: 1, rule: SECRET, message: `DATABASE_URL=postgres://app:${encodeURIComponent(SECRET)}@db/app` }),
          finding({ message: `Authorization: Basic ${Buffer.from(`app:${SECRET}`).toString("base64")}` }),
        ],
        logTail: `SECRET_KEY=${SECRET}\n${JSON.stringify({ key: SECRET })}\n`,
      }),
      check({ id: "verify.other", stage: "verify", status: "skipped", skippedBecause: `needs ${SECRET}` }),
    ],
    [`config mentions ${SECRET}`],
  );
}

/** Every string of a report redacted, as the result builder redacts every string a check produces. */
function redactStrings<T>(value: T, secrets: string[]): T {
  const redact = redactor(secrets);
  const visit = (node: unknown): unknown => {
    if (typeof node === "string") return redact(node);
    if (Array.isArray(node)) return node.map(visit);
    if (node !== null && typeof node === "object") return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, visit(v)]));
    return node;
  };
  return visit(value) as T;
}

const FORMS = [
  CORE,
  encodeURIComponent(SECRET),
  JSON.stringify(SECRET).slice(1, -1),
  Buffer.from(SECRET).toString("base64").slice(0, 16),
];

function assertNoSecret(output: string, format: string): void {
  for (const form of FORMS) assert.ok(!output.includes(form), `${format} leaks ${form}`);
}

describe("secrets in rendered output", () => {
  it("no format shows a secret when the report was redacted before rendering", () => {
    const redacted = redactStrings(leakingReport(), [SECRET, SHORT]);
    for (const format of Format.options) {
      const output = renderReport(redacted, format, { colourLevel: 1 });
      assertNoSecret(output, format);
      assert.match(output, /\*\*\*/, `${format} shows where a secret was`);
    }
  });

  it("the unredacted report really does carry the secret (the test can fail)", () => {
    assert.ok(renderReport(leakingReport(), "agent", { colourLevel: 0 }).includes(SECRET));
    assert.ok(renderReport(leakingReport(), "json", { colourLevel: 0 }).includes(JSON.stringify(SECRET).slice(1, -1)));
  });

  it("a secret that only appears once a renderer joins fields is redacted too", () => {
    const report = reportOf([
      check({ id: "quality.x", stage: "quality", status: "failed", findings: [finding({ file: "hunter", line: 2, message: "m" })] }),
    ]);
    assert.match(renderReport(report, "agent", { colourLevel: 0 }), /hunter:2: m/);
    assert.doesNotMatch(renderReport(report, "agent", { colourLevel: 0, secretValues: ["hunter:2"] }), /hunter/);
  });

  it("values shorter than 4 characters are left alone", () => {
    const output = renderReport(reportOf([check({ id: "test.abc", stage: "test" })]), "agent", { colourLevel: 0, secretValues: [SHORT] });
    assert.match(output, /PASS 1: test test\.abc/);
  });
});
