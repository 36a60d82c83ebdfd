"""Browser tests (a package, so their module names may repeat those of the unit tests)."""
