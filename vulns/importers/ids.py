"""Vulnerability ids the feeds use."""

from __future__ import annotations

import re

CVE = re.compile(r"^CVE-\d{4}-\d{4,}$")
JVNDB = re.compile(r"^JVNDB-\d{4}-\d{6}$")
ANY = re.compile(r"^[A-Za-z][A-Za-z0-9._:-]{2,63}$")
