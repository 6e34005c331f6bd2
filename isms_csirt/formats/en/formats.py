# One date format in both languages (docs/glossary.md): YYYY/MM/DD HH:mm, in TIME_ZONE.
DATE_FORMAT = "Y/m/d"
SHORT_DATE_FORMAT = "Y/m/d"
DATETIME_FORMAT = "Y/m/d H:i"
SHORT_DATETIME_FORMAT = "Y/m/d H:i"
TIME_FORMAT = "H:i"
