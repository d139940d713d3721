"""The session room: unlock, lock screen, idle lock, clipboard guard, settings."""
