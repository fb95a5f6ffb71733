"""The distributed mode: throughput with 1, 2 and 4 workers, Redis operations per page, Redis memory per
million URLs. Numbers for docs/distributed.md; a benchmark, not a test.

Throughput: H hosts (nginx server blocks on H loopback ports, each with its own static copy of N/H
article pages of about 20 KB and a sitemap listing them) are crawled by `newsarchive crawl news --url
<every sitemap> --redis` plus W-1 `newsarchive worker` processes, for W = 1, 2, 4, each run on an
emptied redis-server. pages/s is measured from nginx's access logs, between the first and the last
request. Politeness is set out of the way (no delay, 8 requests per host at once), so the ratio to
one worker shows what the cluster adds on this machine: it has 2 cores, shared by the workers, nginx,
Redis and whatever else runs, so W=4 cannot be twice W=2.

Redis operations per archived page: the workers' own count of round trips (a script or a pipeline is
one) and the server's count of commands executed (INFO commandstats, commands inside scripts included).

Memory: used_memory grown by M synthetic entries of each structure, written through the real code
(Frontier.push, RedisCrawlState commits, the dupefilters' keys), scaled to a million.

    python -m bench.distributed [--pages 2000] [--hosts 8] [--workers 1 2 4] [--memory 100000]
"""
from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import redis

from bench.crawl import OUT, free_port, write_site

REPO = Path(__file__).resolve().parent.parent

NGINX_CONF = """
worker_processes 1;
daemon off;
pid {tmp}/nginx.pid;
error_log {tmp}/nginx-error.log warn;
events {{ worker_connections 4096; }}
http {{
  log_format timed '$msec $server_port $status $request_uri';
  default_type text/html;
  types {{ text/html html; text/plain txt; application/xml xml; }}
  sendfile on;
  keepalive_requests 100000;
  client_body_temp_path {tmp}/body; proxy_temp_path {tmp}/proxy; fastcgi_temp_path {tmp}/fcgi;
  uwsgi_temp_path {tmp}/uwsgi; scgi_temp_path {tmp}/scgi;
{servers}
}}
"""
SERVER = """  server {{
    listen 127.0.0.1:{port} backlog=1024;
    root {root};
    index index.html;
    access_log {tmp}/access-{port}.log timed;
  }}"""


def write_hosts(work: Path, hosts: int, pages: int) -> list[int]:
    ports = [free_port() for _ in range(hosts)]
    for port in ports:
        root = work / f"site-{port}"
        urls = write_site(root, pages // hosts + 8, f"http://127.0.0.1:{port}/")[: pages // hosts]
        entries = "".join(f"<url><loc>{u}</loc></url>" for u in urls)
        (root / "sitemap.xml").write_text('<?xml version="1.0" encoding="UTF-8"?>'
                                          f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{entries}</urlset>')
    return ports


class Nginx:
    def __init__(self, work: Path, ports: list[int]):
        self.tmp = Path(tempfile.mkdtemp(prefix="bench-nginx-"))
        self.tmp.chmod(0o777)
        self.ports = ports
        servers = "\n".join(SERVER.format(port=p, root=work / f"site-{p}", tmp=self.tmp) for p in ports)
        (self.tmp / "nginx.conf").write_text(NGINX_CONF.format(tmp=self.tmp, servers=servers))
        nginx = shutil.which("nginx") or "/usr/sbin/nginx"
        self.proc = subprocess.Popen([nginx, "-c", str(self.tmp / "nginx.conf"), "-p", str(self.tmp)],
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(0.5)
        if self.proc.poll() is not None:
            raise RuntimeError("nginx did not start (make bench installs it when run as root)")

    def requests(self) -> list[float]:
        """The request times of every host since the logs were last emptied."""
        times = []
        for port in self.ports:
            log = self.tmp / f"access-{port}.log"
            if log.exists():
                times += [float(line.split()[0]) for line in log.read_text().splitlines() if line.strip()]
        return sorted(times)

    def reset_logs(self) -> None:
        for port in self.ports:
            (self.tmp / f"access-{port}.log").write_text("")  # nginx keeps appending to the same inode

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(timeout=10)
        shutil.rmtree(self.tmp, ignore_errors=True)


class RedisServer:
    def __init__(self):
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.proc = subprocess.Popen(["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
                                      "--appendonly", "no", "--daemonize", "no"],
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        self.client = redis.Redis(port=self.port)
        for _ in range(100):
            try:
                self.client.ping()
                return
            except redis.ConnectionError:
                time.sleep(0.05)
        raise RuntimeError("redis-server did not start")

    def used_memory(self) -> int:
        return int(self.client.info("memory")["used_memory"])

    def cpu_seconds(self) -> float:
        """redis-server's CPU time so far (user + system), from /proc."""
        fields = Path(f"/proc/{self.proc.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def commands(self) -> int:
        return sum(int(v["calls"]) for k, v in self.client.info("commandstats").items())

    def stop(self) -> None:
        self.proc.terminate()
        self.proc.wait(timeout=10)


SETTINGS = {"ADDRESS_GUARD_ALLOW": ["127.0.0.1"], "DOWNLOAD_DELAY": 0, "AUTOTHROTTLE_ENABLED": False,
            "CONCURRENT_REQUESTS_PER_DOMAIN": 8, "CONCURRENT_REQUESTS": 32, "WARC_GZIP_LEVEL": 1,
            "LOG_LEVEL": "WARNING"}


def cluster_run(server: RedisServer, nginx: Nginx, workers: int, work: Path) -> dict:
    server.client.flushall()
    server.client.config_resetstat()
    nginx.reset_logs()
    cpu_before = server.cpu_seconds()
    archive = work / f"archive-{workers}"
    sets = [a for k, v in SETTINGS.items() for a in ("--set", f"{k}={json.dumps(v)}")]
    common = ["--redis", server.url, "--archive", str(archive), "--no-progress", "--idle-exit", "2", *sets]
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    procs = [subprocess.Popen([sys.executable, "-m", "newsarchive", "worker", "news", *common, "--wait", "120"],
                              cwd=REPO, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
             for _ in range(workers - 1)]
    time.sleep(4 if workers > 1 else 0)  # let them import and wait, so that startup is not timed
    seeds = [a for p in nginx.ports for a in ("--url", f"http://127.0.0.1:{p}/sitemap.xml")]
    procs.insert(0, subprocess.Popen([sys.executable, "-m", "newsarchive", "crawl", "news", *seeds, *common],
                                     cwd=REPO, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True))
    errors = [p.communicate(timeout=1800)[1] for p in procs]
    if any(p.returncode for p in procs):
        raise RuntimeError(f"a worker failed: {[p.returncode for p in procs]}\n{errors[0][-2000:]}")
    times = nginx.requests()
    (crawl_dir,) = [d for d in (archive / "news").iterdir() if d.is_dir()]
    report = json.loads((crawl_dir / "crawl.json").read_text())
    pages = report["counts"]["responses"]
    round_trips = sum(w["distributed"].get("redis_calls", 0) for w in report["workers"])
    result = {
        "workers": workers,
        "pages": pages,
        "articles": report["counts"]["articles"],
        "pages_per_s": round((len(times) - 1) / (times[-1] - times[0]), 1),
        "redis_round_trips_per_page": round(round_trips / pages, 2),
        "redis_commands_per_page": round(server.commands() / pages, 2),
        # What one Redis core could serve if it did nothing else: pages per CPU-second of redis-server.
        "redis_cpu_ms_per_page": round((server.cpu_seconds() - cpu_before) * 1000 / pages, 3),
        "redis_memory_after_crawl_mb": round(server.used_memory() / 2**20, 2),
        "per_worker_pages": [w["responses"] for w in report["workers"]],
    }
    shutil.rmtree(archive, ignore_errors=True)
    return result


def memory_per_million(server: RedisServer, n: int) -> dict:
    """used_memory grown by n entries of each structure, scaled to a million."""
    from scrapy import Request
    from scrapy_redis import picklecompat

    from newsarchive.distributed.dupefilter import bloom_size
    from newsarchive.distributed.frontier import Frontier
    from newsarchive.distributed.keys import CrawlKeys
    from newsarchive.state.redis_store import RedisCrawlState
    from newsarchive.state.store import UrlState
    from newsarchive.warc.pointer import Capture, WarcPointer

    client = server.client
    results = {}

    def measure(name: str, fill) -> None:
        client.flushall()
        before = server.used_memory()
        fill()
        results[name] = round((server.used_memory() - before) / n * 1_000_000 / 2**20, 1)  # MB per million

    def fingerprints(raw: bool):
        with client.pipeline(transaction=False) as pipe:
            for i in range(n):
                digest = hashlib.sha1(b"https://news.example/%d" % i)
                pipe.sadd("seen", digest.digest() if raw else digest.hexdigest())
                if i % 10_000 == 9_999:
                    pipe.execute()
            pipe.execute()

    measure("dupefilter_set_raw_sha1", lambda: fingerprints(True))
    measure("dupefilter_set_hex_sha1_scrapy_redis", lambda: fingerprints(False))
    bits, hashes = bloom_size(1_000_000, 0.001)
    results["dupefilter_bloom_p0.001"] = round(bits / 8 / 2**20, 1)  # a bitmap: its size is fixed by capacity
    bits, hashes = bloom_size(1_000_000, 0.0001)
    results["dupefilter_bloom_p0.0001"] = round(bits / 8 / 2**20, 1)

    keys = CrawlKeys("news", "bench")
    frontier = Frontier(client, keys, lease=60, concurrency=8, max_attempts=3, base_delay=0)

    class Spider:
        name = "news"

        def parse_article(self, response):
            pass

    spider = Spider()

    def queue():
        for i in range(n):
            url = f"https://host{i % 1000}.example/2026/11/29/a-story-of-about-eight-words-in-its-slug-{i}/"
            request = Request(url, callback=spider.parse_article, priority=10,
                              meta={"newsarchive_article": True, "date_hint": "2026-11-29"})
            frontier.push(f"host{i % 1000}.example", 10, picklecompat.dumps(request.to_dict(spider=spider)),
                          mode="set", fingerprint=hashlib.sha1(url.encode()).digest())

    measure("frontier_queued_with_fingerprint", queue)
    client.flushall()
    queue()
    before = server.used_memory()
    for _ in range(n):
        frontier.pop("bench-worker")
    results["frontier_in_flight_minus_queued"] = round((server.used_memory() - before) / n * 1_000_000 / 2**20, 1)

    store = RedisCrawlState(client, "news")
    words = [hashlib.sha1(b"%d" % i).hexdigest()[: 3 + i % 7] for i in range(3000)]  # a vocabulary of 3,000

    def article_text(i: int) -> str:
        """About 3,000 characters in paragraphs, compressing about as well as prose (not repeated text)."""
        rng = random.Random(i)
        return "\n\n".join(" ".join(rng.choice(words) for _ in range(60)) for _ in range(7))

    def url_state(i: int) -> tuple[UrlState, WarcPointer]:
        url = f"https://host{i % 1000}.example/2026/11/29/a-story-of-about-eight-words-in-its-slug-{i}/"
        pointer = WarcPointer(filename="NEWSARCHIVE-20261129000000000-00000-worker-host-12345.warc.gz",
                              offset=123456789, length=None, record_id=f"<urn:uuid:{i:032x}>")
        state = UrlState(url=url, first_fetched="2026-11-29T00:00:00Z", last_fetched="2026-11-29T00:00:00Z",
                         last_changed="2026-11-29T00:00:00Z", payload_digest="sha1:" + "A" * 32, text=None,
                         text_digest=None, etag='"5f1-abc"', last_modified="Sun, 29 Nov 2026 00:00:00 GMT",
                         revision=0, published="2026-11-29T00:00:00Z", crawl_id="20261129T000000Z")
        return state.with_capture(Capture(url=url, date="2026-11-29T00:00:00Z", pointer=pointer)), pointer

    def url_records():
        for i in range(n):
            store.commit_capture(url_state(i)[0])

    def payload_index():
        for i in range(n):
            state, pointer = url_state(i)
            store.add_payload("sha1:" + hashlib.sha1(state.url.encode()).hexdigest().upper()[:32],
                              Capture(url=state.url, date="2026-11-29T00:00:00Z", pointer=pointer))

    measure("state_url_record_without_text", url_records)
    measure("state_payload_index_entry", payload_index)

    def state():
        for i in range(n):
            url = f"https://host{i % 1000}.example/2026/11/29/a-story-of-about-eight-words-in-its-slug-{i}/"
            pointer = WarcPointer(filename="NEWSARCHIVE-20261129000000000-00000-worker-host-12345.warc.gz",
                                  offset=123456789, length=None, record_id=f"<urn:uuid:{i:032x}>")
            url_state = UrlState(url=url, first_fetched="2026-11-29T00:00:00Z", last_fetched="2026-11-29T00:00:00Z",
                                 last_changed="2026-11-29T00:00:00Z", payload_digest="sha1:" + "A" * 32,
                                 text=article_text(i), text_digest="sha1:" + "B" * 32, etag='"5f1-abc"',
                                 last_modified="Sun, 29 Nov 2026 00:00:00 GMT", revision=1,
                                 published="2026-11-29T00:00:00Z", crawl_id="20261129T000000Z").with_capture(
                Capture(url=url, date="2026-11-29T00:00:00Z", pointer=pointer))
            store.commit_revision(url_state, crawl_id="20261129T000000Z")
            store.add_payload("sha1:" + hashlib.sha1(url.encode()).hexdigest().upper()[:32],
                              Capture(url=url, date="2026-11-29T00:00:00Z", pointer=pointer))

    measure("state_article_url_with_text_and_payload", state)
    results["entries_measured"] = n
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.distributed", description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=int, default=2000)
    parser.add_argument("--hosts", type=int, default=8)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2, 4])
    parser.add_argument("--memory", type=int, default=100_000, help="entries per structure for the memory figures")
    parser.add_argument("--memory-only", action="store_true", help="only the memory figures (no crawls)")
    args = parser.parse_args(argv)
    if not shutil.which("redis-server"):
        print("redis-server is not installed (apt-get install redis-server); skipped")
        return 0
    work = Path(tempfile.mkdtemp(prefix="bench-distributed-"))
    work.chmod(0o755)
    server = RedisServer()
    nginx = None
    try:
        if args.memory_only:
            memory = memory_per_million(server, args.memory)
            print(json.dumps(memory, indent=2))
            return 0
        ports = write_hosts(work, args.hosts, args.pages)
        nginx = Nginx(work, ports)
        print(f"{args.hosts} hosts, {args.pages} pages, on nginx; load average {os.getloadavg()[0]:.1f} at start",
              flush=True)
        runs = []
        for workers in args.workers:
            run = cluster_run(server, nginx, workers, work)
            runs.append(run)
            print(f"  {workers} worker(s): {run['pages']} pages at {run['pages_per_s']} pages/s; "
                  f"Redis {run['redis_round_trips_per_page']} round trips, {run['redis_commands_per_page']} commands, "
                  f"{run['redis_cpu_ms_per_page']} ms of CPU per page; pages per worker {run['per_worker_pages']}",
                  flush=True)
        base = runs[0]["pages_per_s"]
        for run in runs:
            run["ratio_to_one_worker"] = round(run["pages_per_s"] / base, 2)
        print("  ratio to one worker: " + ", ".join(f"{r['workers']}: {r['ratio_to_one_worker']}" for r in runs))
        memory = memory_per_million(server, args.memory)
        for name, value in memory.items():
            print(f"  memory {name}: {value}" + ("" if name == "entries_measured" else " MB per million"))
        OUT.mkdir(exist_ok=True)
        (OUT / "distributed.json").write_text(json.dumps({
            "hosts": args.hosts, "cores": os.cpu_count(), "runs": runs, "memory_mb_per_million": memory,
            "load_average_at_end": os.getloadavg()[0]}, indent=2))
    finally:
        if nginx is not None:
            nginx.stop()
        server.stop()
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
