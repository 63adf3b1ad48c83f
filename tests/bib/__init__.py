"""Tests of kop.bib."""
