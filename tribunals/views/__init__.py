"""Tribunals pages: thin views that read through selectors and act through services."""
