"""Tests of kop.check."""
