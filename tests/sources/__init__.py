"""Tests of kop.sources."""
