"""Reads of the dashboard: tiles, the 30-day trend, the lists, the incident room, statistics.

Every function takes the user and reads through the owning app's visibility selectors, so an
object the user may not see is neither counted nor listed. The number of queries of each read
is fixed: it does not grow with the number of incidents, reports or rows shown.
"""
