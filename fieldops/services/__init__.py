"""Use cases: each loads rows, calls the domain, persists the result and commits once."""
