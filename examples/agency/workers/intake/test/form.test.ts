import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { isSiteSlug, readSubmission } from "../src/form.ts";

function form(fields: Record<string, string>): FormData {
  const data = new FormData();
  for (const [name, value] of Object.entries(fields)) data.set(name, value);
  return data;
}

const valid = { name: "  Ada Lovelace ", email: "Ada@Example.COM", phone: "(512) 555-0142", message: "Do you cater weddings in June?", website: "" };

describe("readSubmission", () => {
  it("trims the fields and lower-cases the email", () => {
    assert.deepEqual(readSubmission("rosemary-bakery", form(valid)), {
      ok: true,
      submission: { site: "rosemary-bakery", name: "Ada Lovelace", email: "ada@example.com", phone: "(512) 555-0142", message: "Do you cater weddings in June?" },
    });
  });

  it("accepts a form without a phone number", () => {
    const result = readSubmission("rosemary-bakery", form({ ...valid, phone: "" }));
    assert.equal(result.ok, true);
  });

  it("names each invalid field", () => {
    const result = readSubmission("rosemary-bakery", form({ name: "A", email: "not-an-email", phone: "12", message: "hi" }));
    assert.deepEqual(result.ok ? [] : Object.keys("errors" in result ? result.errors : {}).sort(), ["email", "message", "name", "phone"]);
  });

  it("refuses messages longer than the column", () => {
    const result = readSubmission("rosemary-bakery", form({ ...valid, message: "x".repeat(5001) }));
    assert.equal(result.ok, false);
  });

  it("treats a filled honeypot as spam", () => {
    assert.deepEqual(readSubmission("rosemary-bakery", form({ ...valid, website: "http://spam.example" })), { ok: false, spam: true });
  });
});

describe("isSiteSlug", () => {
  it("accepts the sites' slugs and nothing else", () => {
    assert.equal(isSiteSlug("northside-plumbing"), true);
    assert.equal(isSiteSlug("Northside"), false);
    assert.equal(isSiteSlug("a--b"), false);
    assert.equal(isSiteSlug("x".repeat(65)), false);
  });
});
