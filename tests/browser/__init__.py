"""Browser tests (real Chromium). A package so its conftest does not shadow tests/conftest.py as `conftest`."""
