"""Adapters for S3, RabbitMQ and the Postgres read models, behind small interfaces."""
