"""`make bench`: what each request costs (AWS calls, time, cold start, package, memory size),
and the shared pieces the performance tests use to guard it (tests/performance)."""
