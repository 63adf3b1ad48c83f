"""Citations: scanning Pandoc citation syntax, checking keys and APA formatting."""
