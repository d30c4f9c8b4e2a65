"""SEND case management: the project package (settings, URLs, Celery and cross-cutting code)."""

from send_cms.celery import app as celery_app

__all__ = ["celery_app"]
