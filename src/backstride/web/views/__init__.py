"""View models by noun: what each page shows, arranged from what the services return."""
