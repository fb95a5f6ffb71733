"""Record stage: raw HTTP exchanges into WARC/1.1 files with a CDXJ index beside each (DESIGN §6).

  http        Scrapy request/response -> WARC records, restoring what Scrapy loses
  writer      RollingWarcWriter: one gzip member per record, .open while written, rollover
  cdxj        CDXJ index lines (the format pywb and cdxj-indexer read)
  dedup       the payload-digest index behind revisit records
  recorder    WarcRecorder, the Scrapy extension that ties them to a crawl
  repair      leftover .open files of a crashed crawl, truncated to their last whole record
  members     gzip member boundaries and integrity
  validate    the validation gate behind `newsarchive validate`
  reader      read a record back by offset; look captures up in CDXJ files
"""
