import assert from "node:assert/strict";
import { test } from "node:test";

import { DEFAULT_INTAKE_URL, describeAnswer, intakeEndpoint } from "../src/contact.js";
import { formatPrice, MENU } from "../src/menu.js";

test("the endpoint defaults to a local worker", () => {
  assert.equal(intakeEndpoint(undefined), `${DEFAULT_INTAKE_URL}/intake/your-site/form`);
});

test("a trailing slash on the build-time URL does not double up", () => {
  assert.equal(
    intakeEndpoint("https://intake.example.com/"),
    "https://intake.example.com/intake/your-site/form",
  );
});

test("field errors from the worker are shown to the visitor", () => {
  const text = describeAnswer(400, { fields: { email: "Enter a valid email address." } });
  assert.equal(text, "email: Enter a valid email address.");
});

test("backend failures get a generic apology", () => {
  assert.match(describeAnswer(502, { error: "backend unavailable" }), /could not be sent/);
});

test("menu prices are formatted in euro", () => {
  assert.ok(MENU.length > 0);
  assert.equal(formatPrice(240), "€2.40");
});
