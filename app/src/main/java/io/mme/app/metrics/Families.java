package io.mme.app.metrics;

import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.Quantile;
import io.prometheus.metrics.model.snapshots.Quantiles;
import io.prometheus.metrics.model.snapshots.SummarySnapshot;
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

    /** a summary family in seconds (quantiles and count; no sum) */
    Summary summary(String name, String help) {
        return new Summary(name, help);
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

    final class Summary {
        private final SummarySnapshot.Builder builder;

        private Summary(String name, String help) {
            builder = SummarySnapshot.builder().name(name).help(help).unit(Unit.SECONDS);
        }

        /** quantile values in seconds (NaN when nothing was recorded), in the order of {@code quantiles} */
        Summary add(long count, double[] quantiles, double[] seconds, String... labels) {
            List<Quantile> list = new ArrayList<>(quantiles.length);
            for (int i = 0; i < quantiles.length; i++) {
                list.add(new Quantile(quantiles[i], seconds[i]));
            }
            builder.dataPoint(SummarySnapshot.SummaryDataPointSnapshot.builder().count(count).quantiles(Quantiles.of(list))
                    .labels(Labels.of(labels)).build());
            return this;
        }

        void done() {
            out.add(builder.build());
        }
    }
}
