"""KÖP: build a searchable, citable website of knowledge overviews (kunskapsöversikter)."""

__version__ = "0.1.0"
