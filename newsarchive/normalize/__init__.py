"""Pure normalization functions: raw strings found on a page in, clean values out.

Each module does one kind of text (bylines, copyright notices, ...). They never raise on bad
input, so the crawl, re-extraction from WARC and the public API can call them blindly.
"""
