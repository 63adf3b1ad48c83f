"""Tests of kop.site."""
