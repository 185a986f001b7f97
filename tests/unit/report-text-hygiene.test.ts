import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { redactor, redactSecrets } from "../../src/model/redact.js";
import {
  boundFindings,
  cleanText,
  decodeUtf8,
  oneLine,
  stripAnsi,
  tailText,
  truncate,
} from "../../src/model/text.js";
import { finding } from "../support/report-fixtures.js";

const SECRET = "s3cr3t-Pa$$/word+42";

describe("redactSecrets", () => {
  it("replaces every occurrence, as is and URL-encoded and JSON-escaped", () => {
    const text = `key=${SECRET} again ${SECRET}\nurl=postgres://app:${encodeURIComponent(SECRET)}@db:5432/app`;
    const redacted = redactSecrets(text, [SECRET]);
    assert.equal(redacted, "key=*** again ***\nurl=postgres://app:***@db:5432/app");
    const quoting = 'a"b\\c';
    assert.equal(redactSecrets(JSON.stringify({ k: quoting }), [quoting]), '{"k":"***"}');
  });

  it("replaces the base64 forms, also inside a longer encoded payload", () => {
    const alone = Buffer.from(SECRET).toString("base64");
    assert.equal(redactSecrets(`token ${alone}`, [SECRET]), "token ***");
    for (const user of ["a", "ab", "abc", "user"]) {
      const basic = Buffer.from(`${user}:${SECRET}`).toString("base64");
      const redacted = redactSecrets(`Authorization: Basic ${basic}`, [SECRET]);
      assert.ok(!redacted.includes(basic), `user ${user}`);
      assert.match(redacted, /\*\*\*/);
    }
    const urlSafe = Buffer.from(`x${SECRET}`).toString("base64url");
    assert.match(redactSecrets(urlSafe, [SECRET]), /\*\*\*/);
  });

  it("ignores values shorter than 4 characters and redacts longer secrets first", () => {
    assert.equal(redactSecrets("abc is fine", ["abc", ""]), "abc is fine");
    assert.equal(redactSecrets("token=abcdefgh", ["abcd", "abcdefgh"]), "token=***");
  });

  it("a redactor made once redacts like redactSecrets", () => {
    const redact = redactor([SECRET]);
    const text = `a ${SECRET} b ${encodeURIComponent(SECRET)}`;
    assert.equal(redact(text), redactSecrets(text, [SECRET]));
    assert.equal(redactor([])(text), text);
  });

  it("never leaves a secret in any text (property)", () => {
    fc.assert(
      fc.property(fc.string({ minLength: 4, maxLength: 12 }), fc.array(fc.string({ maxLength: 8 }), { maxLength: 5 }), (secret, parts) => {
        const text = parts.join(secret);
        const redacted = redactSecrets(text, [secret]);
        return !redacted.includes(secret) || redacted === text.replaceAll(secret, "***");
      }),
    );
  });
});

describe("stripAnsi and cleanText", () => {
  it("removes colours and hyperlinks", () => {
    assert.equal(stripAnsi("\u001b[31merror\u001b[39m \u001b]8;;https://x.dev\u0007link\u001b]8;;\u0007"), "error link");
  });

  it("turns carriage returns into line breaks and drops other control characters", () => {
    assert.equal(cleanText("a\r\nb\rc\u0000d\u0007e\tf\u0085g"), "a\nb\ncde\tfg");
  });

  it("oneLine collapses whitespace and truncates with an ellipsis", () => {
    assert.equal(oneLine("  first\n  second\t\u001b[1mthird\u001b[0m ", 100), "first second third");
    assert.equal(oneLine("abcdefghij", 5), "abcd…");
    assert.equal(truncate("😀😀😀", 2), "😀…");
  });
});

describe("tailText", () => {
  it("keeps the last lines", () => {
    assert.deepEqual(tailText("1\n2\n3\n4\n", { maxLines: 2, maxBytes: 100 }), { text: "3\n4\n", droppedBytes: 4 });
    assert.deepEqual(tailText("1\n2\n3", { maxLines: 2, maxBytes: 100 }), { text: "2\n3", droppedBytes: 2 });
    assert.deepEqual(tailText("short", { maxLines: 5, maxBytes: 100 }), { text: "short", droppedBytes: 0 });
  });

  it("keeps the last bytes without splitting a character", () => {
    const text = "ab€€"; // € is 3 bytes in UTF-8
    assert.deepEqual(tailText(text, { maxLines: 10, maxBytes: 4 }), { text: "€", droppedBytes: 5 });
    assert.deepEqual(tailText(text, { maxLines: 10, maxBytes: 6 }), { text: "€€", droppedBytes: 2 });
    assert.deepEqual(tailText("😀x", { maxLines: 10, maxBytes: 3 }), { text: "x", droppedBytes: 4 });
  });

  it("is a bounded suffix and accounts for every dropped byte (property)", () => {
    fc.assert(
      fc.property(fc.string({ unit: "grapheme", maxLength: 200 }), fc.nat(50), fc.nat(10), (text, maxBytes, maxLines) => {
        const { text: kept, droppedBytes } = tailText(text, { maxBytes, maxLines });
        const keptBytes = Buffer.byteLength(kept);
        assert.ok(text.endsWith(kept));
        assert.ok(keptBytes <= maxBytes);
        assert.ok(kept.replace(/\n$/, "").split("\n").length <= Math.max(1, maxLines));
        assert.equal(keptBytes + droppedBytes, Buffer.byteLength(text));
      }),
    );
  });
});

describe("boundFindings", () => {
  const warn = (n: number) => finding({ severity: "warning", message: `warning ${n}` });
  const error = (n: number) => finding({ severity: "error", message: `error ${n}` });

  it("keeps everything under the bound", () => {
    assert.deepEqual(boundFindings([error(1)], 5), { findings: [error(1)], dropped: 0 });
  });

  it("prefers errors to warnings and keeps the original order", () => {
    const findings = [warn(1), warn(2), error(1), warn(3), error(2)];
    const bounded = boundFindings(findings, 3);
    assert.deepEqual(
      bounded.findings.map((f) => f.message),
      ["warning 1", "error 1", "error 2"],
    );
    assert.equal(bounded.dropped, 2);
    assert.deepEqual(boundFindings(findings, 0), { findings: [], dropped: 5 });
  });
});

describe("decodeUtf8", () => {
  it("decodes valid UTF-8 and replaces invalid bytes", () => {
    assert.equal(decodeUtf8(Buffer.from("héllo €")), "héllo €");
    assert.equal(decodeUtf8(Uint8Array.from([0x61, 0xff, 0x62, 0xe2, 0x82])), "a\uFFFDb\uFFFD");
  });
});
