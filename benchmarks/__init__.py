"""Speed measurement only (`make bench`, bench/http): installed when WOONRUST_BENCH is on,
never in production. Two yardstick pages that do the least a Django page can do, a
response header with each request's query count, and the command that readies a seeded
database for the harness."""
