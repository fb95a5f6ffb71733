"""Crawl throughput and memory: newsarchive against bare Scrapy and Scrapy + trafilatura, in one run.

Serves N realistic ~70 KB article pages (the demo site's templates with filler) as static files from
nginx on 127.0.0.1 (Twisted's static server when nginx is missing: slower, and said so), then
crawls the same URL list three ways, each in its own process:
  (a) bare:        a Scrapy spider yielding only the URL
  (b) trafilatura: a Scrapy spider calling trafilatura.extract in its callback
  (c) newsarchive: the full pipeline (WARC + extraction + normalization + export)
and (c) again at a larger N, to show peak memory does not grow with the crawl.

    python -m bench.crawl [--pages 2000] [--large 10000]
"""
from __future__ import annotations

import argparse
import json
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

OUT = Path(__file__).parent / "out"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def write_site(root: Path, n_pages: int, base_url: str) -> list[str]:
    """Render n_pages article pages (~70 KB each) to files; return their URLs."""
    from newsarchive.demo.site import DemoSite

    site = DemoSite(n_articles=n_pages, filler_kb=70)
    urls = []
    for article in site.articles:
        if article.flaky or article.chunked or article.is_cp1252:
            continue  # special cases of the demo, not typical pages
        resource = site.resolve(article.path, base_url)
        if resource.status != 200:
            continue
        target = root / article.path.strip("/") / "index.html"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(resource.body)
        urls.append(article.url(base_url))
    (root / "robots.txt").write_text("User-agent: *\nAllow: /\n")
    return urls


NGINX_CONF = """
worker_processes 1;
daemon off;
pid {tmp}/nginx.pid;
error_log {tmp}/nginx-error.log warn;
events {{ worker_connections 1024; }}
http {{
  access_log off;
  default_type text/html;
  types {{ text/html html; text/plain txt; }}
  sendfile on;
  keepalive_requests 100000;
  client_body_temp_path {tmp}/body; proxy_temp_path {tmp}/proxy; fastcgi_temp_path {tmp}/fcgi;
  uwsgi_temp_path {tmp}/uwsgi; scgi_temp_path {tmp}/scgi;
  server {{
    listen 127.0.0.1:{port} backlog=1024;
    root {root};
    index index.html;
  }}
}}
"""


@contextmanager
def static_server(root: Path, port: int):
    tmp = Path(tempfile.mkdtemp(prefix="bench-nginx-"))
    nginx = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)
    if nginx:
        conf = tmp / "nginx.conf"
        conf.write_text(NGINX_CONF.format(tmp=tmp, port=port, root=root))
        cmd, name = [nginx, "-c", str(conf), "-p", str(tmp)], "nginx"
    else:
        cmd = [sys.executable, "-m", "twisted", "web", "--path", str(root), "--listen",
               f"tcp:{port}:interface=127.0.0.1"]
        name = "twisted.web (nginx not installed: `apt-get install nginx` for a faster server)"
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/robots.txt", timeout=1).read()
                break
            except OSError:
                if time.monotonic() > deadline or proc.poll() is not None:
                    raise RuntimeError(f"{name} did not start on 127.0.0.1:{port}")
                time.sleep(0.1)
        yield name
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:  # never leave a server running on the shared machine
            proc.kill()
            proc.wait(timeout=10)
        shutil.rmtree(tmp, ignore_errors=True)


def crawl(mode: str, urls: list[str], work: Path) -> dict:
    url_list = work / f"urls-{len(urls)}.txt"
    url_list.write_text("\n".join(urls))
    out = work / f"out-{mode}-{len(urls)}"
    proc = subprocess.run([sys.executable, "-m", "bench.crawl_modes", mode, str(url_list), str(out)],
                          capture_output=True, text=True, cwd=Path(__file__).parent.parent)
    if proc.returncode != 0:
        raise RuntimeError(f"{mode} crawl failed:\n{proc.stderr[-3000:]}")
    result = json.loads(proc.stdout.strip().splitlines()[-1])
    shutil.rmtree(out, ignore_errors=True)
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.crawl", description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=int, default=2000)
    parser.add_argument("--large", type=int, default=10000, help="pages for the memory check of (c); 0 skips it")
    args = parser.parse_args(argv)
    work = Path(tempfile.mkdtemp(prefix="bench-crawl-"))
    work.chmod(0o755)  # nginx workers drop root and must read the pages
    try:
        port = free_port()
        base = f"http://127.0.0.1:{port}/"
        n_site = max(args.pages, args.large)
        t = time.perf_counter()
        all_urls = write_site(work / "site", n_site, base)
        print(f"wrote {len(all_urls)} pages in {time.perf_counter() - t:.0f} s", flush=True)
        urls = all_urls[: args.pages]
        with static_server(work / "site", port) as server:
            print(f"server: {server}", flush=True)
            results = [crawl(mode, urls, work) for mode in ("bare", "trafilatura", "newsarchive")]
            if args.large:
                results.append(crawl("newsarchive", all_urls[: args.large], work))
        for r in results:
            print(f"  {r['mode']:<12} {r['pages']:>6} pages  {r['pages_per_s'] or 0:>7.1f} pages/s  "
                  f"peak RSS {r['peak_rss_mb']:>6.1f} MB  items {r['items']}")
        bare, traf, ours = results[0], results[1], results[2]
        summary = {
            "server": server,
            "results": results,
            "c_over_a": round(ours["pages_per_s"] / bare["pages_per_s"], 3),
            "c_over_b": round(ours["pages_per_s"] / traf["pages_per_s"], 3),
        }
        if args.large:
            summary["rss_large_over_small"] = round(results[3]["peak_rss_mb"] / ours["peak_rss_mb"], 3)
        print(f"  c/a = {summary['c_over_a']}   c/b = {summary['c_over_b']}   (target c/b >= 0.8)")
        if args.large:
            print(f"  peak RSS at {args.large} pages / at {args.pages} pages = {summary['rss_large_over_small']}"
                  "   (target <= 1.2)")
        OUT.mkdir(exist_ok=True)
        (OUT / "crawl.json").write_text(json.dumps(summary, indent=2))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
