"""Domain: the Task aggregate, its events and rules; knows nothing of infrastructure."""
