package io.mme.app.metrics;

import io.prometheus.metrics.model.snapshots.ClassicHistogramBuckets;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.Unit;

import java.util.ArrayList;
import java.util.List;

/**
 * Collects the metric families of one scrape: small builders over the client's snapshot builders
 * so the collector reads as a list of metrics. Created and used by one scrape on one thread.
 */
final class Families {
    private final List<MetricSnapshot> out = new ArrayList<>();

    List<MetricSnapshot> snapshots() {
        return out;
    }

    /** a gauge family; add points, then {@link Gauge#done()} */
    Gauge gauge(String name, String help) {
        return new Gauge(name, help);
    }

    /** a counter family named without the _total the exposition appends */
    Counter counter(String name, String help) {
        return new Counter(name, help);
    }

    /** a histogram family in seconds (buckets, sum and count) */
    Histogram histogram(String name, String help) {
        return new Histogram(name, help);
    }

    final class Histogram {
        private final HistogramSnapshot.Builder builder;

        private Histogram(String name, String help) {
            builder = HistogramSnapshot.builder().name(name).help(help).unit(Unit.SECONDS);
        }

        /**
         * one series: {@code counts[i]} observations in bucket i (not cumulative; the exposition
         * accumulates them), {@code upperSeconds} ending with +Inf, their sum in seconds
         */
        Histogram add(double[] upperSeconds, long[] counts, double sumSeconds, String... labels) {
            builder.dataPoint(HistogramSnapshot.HistogramDataPointSnapshot.builder()
                    .classicHistogramBuckets(ClassicHistogramBuckets.of(upperSeconds, counts.clone())).sum(sumSeconds)
                    .labels(Labels.of(labels)).build());
            return this;
        }

        void done() {
            out.add(builder.build());
        }
    }

    final class Gauge {
        private final GaugeSnapshot.Builder builder;

        private Gauge(String name, String help) {
            builder = GaugeSnapshot.builder().name(name).help(help);
            if (name.endsWith("_seconds")) {
                builder.unit(Unit.SECONDS);
            }
        }

        Gauge add(double value, String... labels) {
            builder.dataPoint(GaugeSnapshot.GaugeDataPointSnapshot.builder().value(value).labels(Labels.of(labels)).build());
            return this;
        }

        void done() {
            out.add(builder.build());
        }
    }

    final class Counter {
        private final CounterSnapshot.Builder builder;

        private Counter(String name, String help) {
            builder = CounterSnapshot.builder().name(name).help(help);
        }

        Counter add(double value, String... labels) {
            builder.dataPoint(CounterSnapshot.CounterDataPointSnapshot.builder().value(value).labels(Labels.of(labels)).build());
            return this;
        }

        void done() {
            out.add(builder.build());
        }
    }
}
