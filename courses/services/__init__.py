"""Domain operations of the courses package, one module per aggregate.

Services take the acting user, check the rules, write the audit entry and flush (never commit).
"""
