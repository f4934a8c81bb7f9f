"""Accounts, sign-in, roles and the route decorator; depends on no feature."""
