"""A tiny OpenID Connect provider (django-oauth-toolkit) that the single sign-on tests start as a
second process: its own settings, SQLite in a temporary directory, an RSA key made at start."""
