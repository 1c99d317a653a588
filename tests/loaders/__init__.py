"""Loader tests (a package so the test modules can share helpers from .conftest)."""
