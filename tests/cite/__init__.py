"""Tests of kop.cite."""
