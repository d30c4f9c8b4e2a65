"""The EHC plan's content, sections A to K: models, services, the quality check, differences."""
