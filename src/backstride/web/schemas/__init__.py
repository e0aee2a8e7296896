"""Pydantic models of the JSON API and the pages' forms, by noun (``schemas/<noun>.py``):
requests and responses, documented in ``/openapi.json``; ``common.py`` holds what they share."""
