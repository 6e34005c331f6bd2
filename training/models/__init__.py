"""Readiness: people, training, phishing drills, exercises and the CSIRT-function map."""

from training.models.people import CsvImport, Person

__all__ = ["CsvImport", "Person"]
