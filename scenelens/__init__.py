"""Shared package: settings, adapters (S3, RabbitMQ, Postgres), domain, generated protos."""
