"""Export stage: article records into articles.jsonl (docs/architecture.md, "Export").

  record         the typed article record, and the one place it is put together
  schema         the published JSON Schema of a record, and its validator
  pipelines      SchemaValidationPipeline: a record that breaks the schema is never written
  storage        DurableFileFeedStorage: every JSON line reaches the OS at once, a torn tail is cut
  articles_feed  the add-on that keeps the articles feed whoever replaces FEEDS
"""
