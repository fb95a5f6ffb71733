"""Record stage: raw HTTP exchanges into WARC/1.1 files with a CDXJ index beside each
(docs/architecture.md, "WARC conventions"). The only package that imports warcio.

Writing:
  wire        one exchange's bytes as the wire-capture download handler recorded them
  http        HTTP message blocks: recorded heads as received and sent, or their decoded form
  records     WARC/1.1 records: response, request, revisit, metadata, warcinfo
  writer      RollingWarcWriter: one gzip member per record, .open while written, rollover
  cdxj        CDXJ index lines (the format pywb and cdxj-indexer read)
  dedup       the payload-digest index behind revisit records
  recorder    WarcRecorder, the Scrapy extension that ties them to a crawl
  metadata    article metadata records a re-extraction adds to an archive
Reading:
  pointer     WarcPointer (where a record lives) and Capture (one archived capture of a URL)
  reader      one file: a record by offset, HTTP responses, the warcinfo fields
  archive     many files: captures by URL, a capture read back as a response (revisits resolved)
Checking and mending:
  members     gzip member boundaries and integrity
  repair      leftover .open files of a crashed crawl, cut to their last whole record (and what named the cut)
  validate    the validation gate behind `newsarchive validate`, references included
"""
