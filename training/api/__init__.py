"""The training REST API: readiness records, drills, exercises, the CSIRT-function map."""
