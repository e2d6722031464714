"""Names of the quiz-quality checks that a question may be exempted from (`// exempt <check>: <reason>`).

Kept apart from quality.py, which runs the checks, so that the GIFT parser can validate exemptions without
importing the checks themselves.
"""

from __future__ import annotations

LONGEST_KEY = "longest-key"
TRUEFALSE_BALANCE = "truefalse-balance"
KEY_POSITION = "key-position"
REPEATS_MODULE = "repeats-module"
BANK_SIZE = "bank-size"
TRANSLATION_KEY = "translation-key"

QUALITY_CHECKS = (LONGEST_KEY, TRUEFALSE_BALANCE, KEY_POSITION, REPEATS_MODULE, BANK_SIZE, TRANSLATION_KEY)
MIN_EXEMPTION_REASON = 20  # characters: a reason, not a shrug
