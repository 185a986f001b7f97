import assert from "node:assert/strict";
import { test } from "node:test";

import { LIMITS, validateForm } from "../src/form.ts";

function form(fields: Record<string, string>): FormData {
  const data = new FormData();
  for (const [key, value] of Object.entries(fields)) data.append(key, value);
  return data;
}

const valid = { name: " Ada Lovelace ", email: "ada@example.com", message: "Decaf?", topic: "beans" };

test("a valid form is trimmed and keeps every text field in the payload", () => {
  const result = validateForm(form(valid));

  assert.deepEqual(result, {
    ok: true,
    fields: { name: "Ada Lovelace", email: "ada@example.com", message: "Decaf?" },
    payload: valid,
  });
});

test("missing and blank fields are reported per field", () => {
  const result = validateForm(form({ name: "   ", email: "ada@example.com" }));

  assert.deepEqual(result, {
    ok: false,
    errors: { name: "This field is required.", message: "This field is required." },
  });
});

test("an email without a domain is rejected", () => {
  const result = validateForm(form({ ...valid, email: "ada@localhost" }));

  assert.deepEqual(result, { ok: false, errors: { email: "Enter a valid email address." } });
});

test("over-long messages are rejected", () => {
  const result = validateForm(form({ ...valid, message: "x".repeat(LIMITS.message + 1) }));

  assert.equal(result.ok, false);
  assert.ok(!result.ok && result.errors.message?.includes(String(LIMITS.message)));
});

test("uploaded files are not forwarded", () => {
  const data = form(valid);
  data.append("attachment", new Blob(["binary"]), "menu.pdf");

  const result = validateForm(data);

  assert.ok(result.ok && !("attachment" in result.payload));
});
