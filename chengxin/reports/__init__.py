"""The annual rule-of-law report: every figure computed from the other modules' data."""
