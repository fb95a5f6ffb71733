"""`python -m bench`: run every benchmark in turn (crawl throughput and memory, research index, normalizer linearity)."""
import importlib
import sys

BENCHMARKS = ("bench.crawl", "bench.research", "bench.stories", "bench.listings", "bench.normalizers",
              "bench.requisites", "bench.distributed")


def main(argv: list[str]) -> int:
    wanted = argv or BENCHMARKS
    status = 0
    for name in wanted:
        module = importlib.import_module(name if name.startswith("bench.") else f"bench.{name}")
        print(f"\n=== {module.__name__} ===", flush=True)
        status |= int(module.main([]) or 0)
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
