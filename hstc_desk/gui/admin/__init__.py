"""The security officer's room: the audit viewer (users and policy pages next)."""
