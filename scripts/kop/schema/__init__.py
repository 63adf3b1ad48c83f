"""The JSON Schemas and vocabularies for front matter, and their loader."""
