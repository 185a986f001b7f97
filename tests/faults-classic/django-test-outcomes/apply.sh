#!/bin/sh
# Tests of a new pricing helper, in every state unittest reports: an assertion in a shared
# helper, a KeyError raised in app code, a failing subtest, a skip, an expected failure that now
# passes, and a test module importing a module nobody wrote.
set -eu
cat > contact/pricing.py <<'PY'
from decimal import Decimal

RATES = {"standard": Decimal("0.20"), "reduced": Decimal("0.05")}


def with_tax(amount, rate):
    return amount * (1 + RATES[rate])
PY
cat > contact/tests/helpers.py <<'PY'
def assert_total(actual, expected):
    assert actual == expected, f"{actual} != {expected}"
PY
cat > contact/tests/test_pricing.py <<'PY'
import unittest
from decimal import Decimal

from django.test import SimpleTestCase

from contact.pricing import with_tax

from .helpers import assert_total


class PricingTests(SimpleTestCase):
    def test_standard(self):
        self.assertEqual(with_tax(Decimal("10.00"), "standard"), Decimal("12.0000"))

    def test_total(self):
        assert_total(with_tax(Decimal("10.00"), "reduced"), Decimal("11.00"))

    def test_unknown_rate(self):
        with_tax(Decimal("10.00"), "luxury")

    def test_rates(self):
        for rate in ("standard", "reduced"):
            with self.subTest(rate=rate):
                self.assertGreater(with_tax(Decimal("10.00"), rate), Decimal("10.60"))

    @unittest.skip("rates by country are not written yet")
    def test_country(self):
        pass

    @unittest.expectedFailure
    def test_fixed_bug(self):
        self.assertEqual(with_tax(Decimal("0"), "standard"), Decimal("0"))
PY
printf 'from contact.discounts import best_discount  # noqa: F401\n' > contact/tests/test_discounts.py
grep -q 'luxury' contact/tests/test_pricing.py
