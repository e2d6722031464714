"""Saving a course for offline use: the service worker, the per-course manifest and the offline page."""
