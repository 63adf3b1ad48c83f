"""Validation: field rules, cross-file rules, placeholders, safety, the check pipeline."""
