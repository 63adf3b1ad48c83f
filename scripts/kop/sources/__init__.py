"""Reading source files: safe front matter, documents and the content cache."""
