"""The JSON API under ``/api``, one module per noun (``plan.py``...)."""
