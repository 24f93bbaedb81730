"""Outgoing mail: recorded, rendered in the recipient's language, sent by a Celery task."""
