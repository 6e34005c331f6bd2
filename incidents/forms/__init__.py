"""Browser forms of the incident record: they validate input and build service arguments."""
