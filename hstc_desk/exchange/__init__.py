"""Signed exchange bundles on removable media."""
