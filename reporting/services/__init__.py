"""Writes of the reporting app: what managers enter and what is published. Never the cases."""
