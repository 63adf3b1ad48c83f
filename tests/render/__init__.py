"""Tests of kop.render."""
