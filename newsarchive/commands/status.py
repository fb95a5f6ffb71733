"""`newsarchive status --redis URL [SPIDER]`: how the distributed crawls in a Redis are doing."""
from __future__ import annotations

import argparse
import json
import time

from newsarchive.commands import EXIT_OK, EXIT_PROBLEMS


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "status",
        help="show the distributed crawls in a Redis: frontier, in flight, hosts, workers",
        description="For the current distributed crawl of each spider in Redis (or of SPIDER): requests queued "
        "in the shared frontier, in flight (leased by a worker; 'expired' ones go back to the frontier on the "
        "next pop), failed after DISTRIBUTED_MAX_ATTEMPTS, the hosts with the most queued requests and their "
        "delay, and the workers with their last heartbeat. Exit 0, 1 when SPIDER has no crawl in Redis, 3 when "
        "Redis cannot be reached.",
        epilog="examples:\n  newsarchive status --redis redis://127.0.0.1:6379/0\n"
        "  newsarchive status news --redis redis://127.0.0.1:6379/0 --json",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("spider", nargs="?", help="spider name (default: every spider with a crawl in Redis)")
    parser.add_argument("--redis", metavar="URL", required=True, help="the Redis of the crawls")
    parser.add_argument("--hosts", type=int, default=10, metavar="N", help="show the N busiest hosts (default 10)")
    parser.add_argument("--json", action="store_true", help="print JSON instead of text")
    parser.set_defaults(func=run)


def format_status(status: dict) -> str:
    started = time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime(status["created_at"]))
    state = "finished" if status.get("finished_at") else ("running" if status["workers_alive"] or status["queued"]
                                                          or status["in_flight"] else "idle (no worker)")
    counts = status["counts"]
    lines = [
        f"crawl {status['crawl_id']} of {status['spider']}: {state}, started {started} UTC",
        f"  frontier     {status['queued']} queued on {status['hosts_with_queue']} hosts; "
        f"{status['in_flight']} in flight ({status['in_flight_expired']} with an expired lease); "
        f"{status['failed']} failed",
        f"  totals       {counts.get('pushed', 0)} queued so far, {counts.get('done', 0)} done, "
        f"{counts.get('duplicates', 0)} duplicates filtered, {counts.get('expired', 0)} leases expired"
        + (f", {status['seen']} fingerprints" if status.get("seen") is not None else ""),
        f"  workers      {status['workers_alive']} alive",
    ]
    for worker in status["workers"]:
        lines.append(f"    {worker['worker']:<32} {'alive' if worker['alive'] else 'silent'}, seen {worker['last_seen_s']} s "
                     f"ago; {worker.get('responses', '?')} pages, {worker.get('articles', '?')} articles, "
                     f"holding {worker.get('holding', '?')}")
    if status["hosts"]:
        lines.append("  hosts        queued  busy  delay")
        for host in status["hosts"]:
            delay = max(host["delay"] or 0, host["crawl_delay"] or 0)
            lines.append(f"    {host['host']:<34} {host['queued']:>6}  {host['busy']:>4}  {delay:.2f} s")
    return "\n".join(lines)


def run(args) -> int:
    from newsarchive.commands.worker import connect
    from newsarchive.distributed import crawls

    server = connect(args.redis)
    spiders = [args.spider] if args.spider else crawls.spiders_with_crawls(server)
    statuses = [s for s in (crawls.snapshot(server, spider, hosts=args.hosts) for spider in spiders) if s is not None]
    if args.json:
        print(json.dumps(statuses, indent=2, ensure_ascii=False))
    elif statuses:
        print("\n\n".join(format_status(s) for s in statuses))
    else:
        print(f"no distributed crawl{' of ' + args.spider if args.spider else ''} in this Redis")
    return EXIT_PROBLEMS if args.spider and not statuses else EXIT_OK
