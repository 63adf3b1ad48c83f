"""Developer tools: benchmark, synthetic corpora, browser helpers."""
