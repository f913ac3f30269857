"""Benchmarks for Wijkaanpak: scripts that print figures, against a separate database."""
