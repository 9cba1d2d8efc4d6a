"""The versioned REST API: root, schema, docs, and the endpoints of the foundation."""
