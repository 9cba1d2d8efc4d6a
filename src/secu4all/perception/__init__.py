"""Perceived safety: instruments, an anonymous public survey, audit walks and weighted estimates."""
