"""Tests of kop.features."""
