import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { contactEndpoint, validateContact } from "../src/index.ts";

describe("contactEndpoint", () => {
  it("appends /submit/<slug> to the intake base URL", () => {
    assert.equal(contactEndpoint("https://intake.example.dev", "rosemary-bakery"), "https://intake.example.dev/submit/rosemary-bakery");
    assert.equal(contactEndpoint("https://example.dev/intake/", "bright-dental"), "https://example.dev/intake/submit/bright-dental");
  });
  it("allows plain http for a local worker only", () => {
    assert.equal(contactEndpoint("http://localhost:8787", "a-site"), "http://localhost:8787/submit/a-site");
    assert.throws(() => contactEndpoint("http://intake.example.dev", "a-site"), /https/);
  });
  it("refuses a slug that is not one", () => {
    assert.throws(() => contactEndpoint("https://intake.example.dev", "Rosemary Bakery"), RangeError);
  });
});

describe("validateContact", () => {
  const valid = { name: "Ada Lovelace", email: "ada@example.com", phone: "", message: "Do you cater weddings?" };

  it("accepts a complete form, phone optional", () => {
    assert.deepEqual(validateContact(valid), {});
    assert.deepEqual(validateContact({ ...valid, phone: "(512) 555-0142" }), {});
  });
  it("names every field that is wrong", () => {
    assert.deepEqual(Object.keys(validateContact({ name: " ", email: "ada@", phone: "12", message: "hi" })).sort(), [
      "email",
      "message",
      "name",
      "phone",
    ]);
  });
});
