"""Seminars: model and loading, pages, calendar files, invitations and QR codes."""
