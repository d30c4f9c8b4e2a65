"""Pages of the cases app: thin views that read through selectors and act through services."""
