"""Tests of kop.dev."""
