"""The home page's rules: which platform panels a user sees (permissions.py)."""
