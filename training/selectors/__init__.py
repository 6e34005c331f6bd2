"""Reads of the training app, already limited to what the user may see.

``person_readiness`` is the one the incident page uses: did the person who opened a real
targeted email have valid training, and how did they do in phishing drills.
"""

from training.selectors.people import people_csv, people_of, person_get, unit_paths

__all__ = ["people_csv", "people_of", "person_get", "unit_paths"]
