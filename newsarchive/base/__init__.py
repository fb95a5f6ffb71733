"""The ground floor: names and small helpers every stage shares (docs/architecture.md, "The rooms").

  layout   where a crawl's outputs go (archive/<spider>/<crawl-id>/...), and the archive default
  dates    the current UTC time as records write it, and dates read from feeds, sitemaps and state
  meta     the request.meta keys the crawl components hand each other
  stats    the names under which components count things in Scrapy's stats
  urls     what a URL says about its site
  agent    the crawler's User-Agent, built around the operator's contact

Nothing here imports from the rest of the package, so any room may import from it.
"""
