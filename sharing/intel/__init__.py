"""Threat intelligence in (issue 22): reading STIX 2.1 bundles and MISP events."""
