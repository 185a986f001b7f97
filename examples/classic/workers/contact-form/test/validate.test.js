import { describe, expect, it } from "vitest";
import { MAX_LENGTH, validateContact } from "../src/validate.js";

describe("validateContact", () => {
  it("accepts a complete form and trims the fields", () => {
    const result = validateContact({ name: "  Ada Lovelace ", email: " ada@example.com", message: "Hello!\n" });

    expect(result).toEqual({
      ok: true,
      data: { name: "Ada Lovelace", email: "ada@example.com", message: "Hello!" },
    });
  });

  it("requires every field", () => {
    const result = validateContact({ name: "   ", email: "" });

    expect(result.ok).toBe(false);
    expect(Object.keys(result.errors).sort()).toEqual(["email", "message", "name"]);
  });

  it("rejects an address without a domain", () => {
    const result = validateContact({ name: "Ada", email: "ada@", message: "Hello" });

    expect(result.errors).toEqual({ email: "Please enter a valid email address." });
  });

  it("rejects a message that is too long", () => {
    const result = validateContact({ name: "Ada", email: "ada@example.com", message: "x".repeat(MAX_LENGTH.message + 1) });

    expect(result.errors.message).toMatch(/under 5000 characters/);
  });
});
