"""Date formats per language (FORMAT_MODULE_PATH)."""
