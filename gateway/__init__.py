"""Gateway: the gRPC API (grpc.aio) that Envoy transcodes REST to."""
