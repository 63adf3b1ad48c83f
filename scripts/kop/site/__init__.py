"""Generating build/docs, running the site engine, sanitising, indexing and publishing."""
