"""references.bib: reading BibTeX as biber does and converting it to CSL-JSON."""
