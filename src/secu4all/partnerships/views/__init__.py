"""Pages of partnerships, one module per noun like ``partnerships.services``."""
