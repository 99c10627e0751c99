"""Signal wiring for the reviews app (renditions ahead of time, cache invalidation)."""
