"""Products in the window: drafting, the supervisors' review queue and view, sign-off, version
history, referral responses, and Print/Export PDF."""
