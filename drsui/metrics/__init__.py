"""Prometheus metrics: what the portal counts (instruments), the request middleware, and the
/metrics view (queue gauges read from the database when scraped)."""
