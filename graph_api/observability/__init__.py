"""What the service counts about itself, for Prometheus (exposed by the HTTP layer at /metrics)."""
