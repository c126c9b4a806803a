"""The registration service (ASGI app, jobs, review queue)."""
