"""backstride: run without the back pain. A local-first training log and coach."""

__version__ = "0.1.0"
