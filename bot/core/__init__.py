"""The platform-neutral engine: use cases over neutral models, returning `Reply` objects."""
