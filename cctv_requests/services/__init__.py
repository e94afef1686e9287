"""Domain operations that span aggregates."""
