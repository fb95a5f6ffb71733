"""Fetch stage: downloader middlewares and extensions that shape how pages are requested.

  address_guard  refuse targets the crawl must not reach
  useragent      the identifying User-Agent
  size_limit     cut an over-long body and keep what arrived
  page_checks    cheap checks of a fetched page's bytes (charset, binary, broken markup)
  errors         a short name for every kind of failed fetch
  replay         answer requests from WARC files instead of the network (REPLAY_WARC)
  wire_capture   the HTTP/1.1 download handler that records each exchange's bytes for the WARC
"""
