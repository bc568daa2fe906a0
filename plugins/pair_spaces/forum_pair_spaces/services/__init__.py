"""Services the pair-space views and CLI call; each module holds one concern."""
