"""The benchmarks, one module per `make bench-*` target, kept out of the apps they measure: they load
synthetic data into PostgreSQL databases of their own and print figures (docs/benchmarks.md)."""
