"""Pure rendering of overview pages, listings and figures into Markdown/HTML text."""
