"""Domain operations on dossiers: each takes the acting user, checks, audits and flushes."""
