"""Domain operations of the assessments package, one module per concern.

Services take the acting user, check the rules, write the audit entry (and the grade history)
and flush, never commit.
"""
