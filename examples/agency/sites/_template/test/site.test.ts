import assert from "node:assert/strict";
import { basename, dirname } from "node:path";
import { describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { contactEndpoint, formatHours, formatPhone } from "@agency/ui";
import { DEFAULT_INTAKE_URL, site } from "../src/site.ts";

const folder = basename(dirname(dirname(fileURLToPath(import.meta.url))));

describe("site data", () => {
  it("keeps the placeholder slug until the template is copied", () => {
    assert.equal(site.slug, "client-slug");
  });

  it("has a phone number in E.164 that formats for display", () => {
    assert.match(site.phone, /^\+1\d{10}$/);
    assert.match(formatPhone(site.phone), /^\(\d{3}\) \d{3}-\d{4}$/);
  });

  it("lists opening hours that all parse", () => {
    assert.ok(site.hours.length > 0);
    assert.equal(formatHours(site.hours).length, site.hours.length);
  });

  it("describes every service", () => {
    assert.ok(site.services.length >= 2);
    for (const service of site.services) assert.ok(service.description.length > 10, service.name);
  });

  it("builds its contact endpoint from the default intake URL", () => {
    assert.equal(contactEndpoint(DEFAULT_INTAKE_URL, site.slug), `${DEFAULT_INTAKE_URL}/submit/${site.slug}`);
  });
});
