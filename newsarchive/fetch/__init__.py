"""Fetch stage: downloader middlewares and extensions that shape how pages are requested."""
