"""Use cases. They own the transactions; the CLI and the web app share them."""
