"""The research side: an incremental SQLite/FTS5 index over every articles.jsonl of an archive.

  schema     the SQL tables of index.sqlite, and opening it
  records    pure functions: an article record -> the values the index filters and sorts on
  indexer    reads new lines of each articles.jsonl (by byte offset) into the index
  query      filters -> SQL, and running it
  formats    flattening records for CSV and the terminal table
  exporters  streaming writers: JSONL, CSV, Parquet
  replay     where a capture replays in pywb
  stats      counts and field coverage; plot: articles per day per site as a PNG
"""
