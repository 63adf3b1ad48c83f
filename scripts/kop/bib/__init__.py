"""references.bib: reading BibTeX as biber does and converting it to CSL-JSON.

Modules, each importing only those listed before it: ``quiet`` (silencing library
loggers), ``latex`` (LaTeX to text), ``doi``, ``dates``, ``names``, ``entrytypes``,
``strings`` (field value and @string evaluation), ``csl`` (CSL-JSON), ``validate``
(entry checks), ``inherit`` (biber's crossref and xdata rules), ``encoding`` (bytes to
text), ``delimiters`` (values between Word's typographic quotes), the memo modules (``chunks``,
``converted``, ``validated``, ``memo``: what one load keeps for the next) and ``load`` (the entry point,
:func:`kop.bib.load.load_bibliography`).
"""
