"""The recorder: appends recognition results to the event store, one writer, in batches."""
