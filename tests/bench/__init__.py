"""Performance benchmark of the language server (run by hand, not by pytest)."""
