"""Relay: publishes stored events (and the commands they cause) to RabbitMQ, from a tracked position."""
