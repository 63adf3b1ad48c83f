"""The only code that imports the site engine (MkDocs or ProperDocs)."""
