"""The janitor: removes deleted tasks' files (from TaskDeleted events) and orphaned files."""
