"""The webhook service: turns task events into signed deliveries to tenants' endpoints."""
