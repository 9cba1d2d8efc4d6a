"""People: sign-in, password reset, lockout and two-factor authentication."""
