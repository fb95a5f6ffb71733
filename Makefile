# newsarchive: every set-up step is here, so a fresh clone needs only `make demo` or `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
SHARED ?= ../shared
CORPUS ?= $(SHARED)/corpus/dev
VALIDATION ?= $(SHARED)/corpus/dev2
export PIP_DISABLE_PIP_VERSION_CHECK := 1

.PHONY: help install demo test check eval fuzz fuzz-discover bench clean

help:
	@echo "make demo    set up, serve the bundled demo site on 127.0.0.1, crawl it, print where the output went"
	@echo "make test    set up and run the whole test suite (pytest + offline spider contracts)"
	@echo "make eval    score extraction side by side with peers: ../shared/corpus/dev, its tuning and"
	@echo "             held-back halves, and ../shared/corpus/dev2 (validation)"
	@echo "             (make eval EVAL_REPORT=EVALUATION.md also rewrites the committed report)"
	@echo "make fuzz    long Hypothesis run of the extraction and normalizer fuzz tests (FUZZ_EXAMPLES=...)"
	@echo "make bench   benchmarks: crawl throughput and memory, index build and query latency"
	@echo "make fuzz-discover  a long fuzz run of the feed and sitemap readers (FUZZ_EXAMPLES=N, default 5000)"

$(VENV)/.installed: pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) install -q --upgrade pip
	$(PIP) install -q -e '.[test,research,distributed,schedule]'
	touch $@

install: $(VENV)/.installed

# pywb pins old redis/fakeredis that break scrapy-redis, so replay tests get their own venv.
.venv-pywb/.installed:
	test -x .venv-pywb/bin/python || $(PYTHON) -m venv .venv-pywb
	.venv-pywb/bin/pip install -q --upgrade pip
	.venv-pywb/bin/pip install -q 'pywb>=2.8,<3'
	touch $@

# py-wacz, whose `wacz validate` checks what `newsarchive package` writes; kept apart like pywb (it pulls
# in Frictionless and its own pins).
.venv-wacz/.installed:
	test -x .venv-wacz/bin/python || $(PYTHON) -m venv .venv-wacz
	.venv-wacz/bin/pip install -q --upgrade pip
	.venv-wacz/bin/pip install -q 'wacz>=0.5,<1'
	touch $@

# Peer extractors for `make eval`, kept apart so their pins never touch the project's venv.
.venv-peers/.installed:
	test -x .venv-peers/bin/python || $(PYTHON) -m venv .venv-peers
	.venv-peers/bin/pip install -q --upgrade pip
	# one at a time: pip's resolver fails on these four in one command
	for pkg in 'trafilatura>=2,<3' 'newspaper4k>=0.9,<1' 'goose3>=3.1,<4' 'readability-lxml>=0.8,<1' 'lxml_html_clean'; do \
	  .venv-peers/bin/pip install -q "$$pkg" || exit 1; done
	touch $@

demo: $(VENV)/.installed
	$(VENV)/bin/newsarchive demo

test: $(VENV)/.installed .venv-pywb/.installed .venv-wacz/.installed
	NEWSARCHIVE_PYWB_VENV=$(CURDIR)/.venv-pywb NEWSARCHIVE_WACZ_VENV=$(CURDIR)/.venv-wacz $(PY) -m pytest

eval: $(VENV)/.installed
	@if [ ! -d "$(CORPUS)" ]; then echo "make eval: $(CORPUS) not found; nothing to score."; exit 0; fi; \
	$(MAKE) --no-print-directory .venv-peers/.installed && \
	$(PY) tools/evaluate.py --corpus "$(CORPUS)" --shared "$(SHARED)" --validation "$(VALIDATION)" \
	  --peers-python .venv-peers/bin/python $(if $(EVAL_REPORT),--write $(EVAL_REPORT))

# The fuzz tests run with few examples in `make test`; this runs them long (no deadline, no database).
FUZZ_EXAMPLES ?= 5000
fuzz: $(VENV)/.installed
	NEWSARCHIVE_FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) $(PY) -m pytest -q -p no:cacheprovider \
	  tests/extract/test_fuzz.py tests/normalize/test_fuzz.py

# nginx serves the benchmark's pages (Python's own servers would be the bottleneck); without it
# the benchmark falls back to Twisted's static server and says so.
bench: $(VENV)/.installed
	@command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || [ "$$(id -u)" != 0 ] || \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx-light >/dev/null 2>&1 \
	   || DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx >/dev/null 2>&1 || true)
	$(PY) -m bench

# make test runs a bounded number of examples of the feed/sitemap fuzz tests; this runs many more.
FUZZ_EXAMPLES ?= 5000
fuzz-discover: $(VENV)/.installed
	FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) $(PY) -m pytest -q -p no:cacheprovider tests/crawl/test_discover_fuzz.py

clean:
	rm -rf $(VENV) .venv-pywb .venv-wacz .venv-peers build *.egg-info .pytest_cache
