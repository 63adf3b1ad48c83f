"""Tests of kop.cli."""
