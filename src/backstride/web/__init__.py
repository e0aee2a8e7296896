"""The local web dashboard: FastAPI, server-rendered Jinja2 pages, HTMX partials, JSON API.

Build it with :func:`backstride.web.app.create_app`; ``backstride serve`` runs it.
"""
