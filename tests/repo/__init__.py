"""Tests of the repository as a whole (lint, workflows, architecture)."""
