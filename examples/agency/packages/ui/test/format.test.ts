import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { formatFromPrice, formatHours, formatPhone, formatTime, telHref } from "../src/index.ts";

describe("formatPhone", () => {
  it("formats North American numbers", () => {
    assert.equal(formatPhone("+15125550142"), "(512) 555-0142");
    assert.equal(formatPhone("+1 (512) 555-0142"), "(512) 555-0142");
  });
  it("leaves other numbers as given", () => {
    assert.equal(formatPhone("+44 20 7946 0958"), "+44 20 7946 0958");
  });
});

describe("telHref", () => {
  it("keeps only + and digits", () => {
    assert.equal(telHref("+1 (512) 555-0142"), "tel:+15125550142");
  });
});

describe("formatTime and formatHours", () => {
  it("uses a 12-hour clock and drops :00", () => {
    assert.equal(formatTime("07:00"), "7 am");
    assert.equal(formatTime("12:00"), "12 pm");
    assert.equal(formatTime("00:30"), "12:30 am");
    assert.equal(formatTime("15:30"), "3:30 pm");
  });
  it("refuses what is not a 24-hour time", () => {
    assert.throws(() => formatTime("7am"), RangeError);
    assert.throws(() => formatTime("24:00"), RangeError);
  });
  it("lists closed days", () => {
    assert.deepEqual(
      formatHours([
        { days: "Mon–Fri", opens: "07:00", closes: "15:00" },
        { days: "Sun" },
      ]),
      ["Mon–Fri: 7 am – 3 pm", "Sun: closed"],
    );
  });
});

describe("formatFromPrice", () => {
  it("shows whole dollars", () => {
    assert.equal(formatFromPrice(1200), "from $1,200");
    assert.equal(formatFromPrice(undefined), "");
  });
});
