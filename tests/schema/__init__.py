"""Tests of kop.schema."""
