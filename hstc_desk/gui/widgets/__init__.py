"""Widgets every room uses: banners, icons, background tasks."""
