"""Projections: build the read models from the event store, exactly once per event."""
