/**
 * The Prometheus endpoint: {@link io.mme.app.metrics.MetricsExporter} reads the engines' published
 * views, the pipeline's health, the latency recorder and the store tiers at scrape time and serves
 * them as GET /metrics on the API server. See the exporter's comment for the metric list.
 */
package io.mme.app.metrics;
