"""Browser pages of the dashboard: thin, every read in ``dashboard.selectors``."""
