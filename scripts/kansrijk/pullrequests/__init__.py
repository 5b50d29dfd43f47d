"""``kansrijk check-pr`` (offline) and ``kansrijk report-pr`` (the trusted verdict at one commit)."""
