"""Below every app: small helpers any app may use; imports no app."""
