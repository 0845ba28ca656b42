package io.mme.analytics.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;

class HotStateSnapshotTest {
    private static final String[] VENUES = {"BINANCE", "OKX", "BYBIT"};
    private static final String[] SYMBOLS = {"BTCUSDT", "ETHUSDT", "SOLUSDT", "XRPUSDT"};

    @Test
    void typedLookupsReuseOneEntryPerKey() {
        HotStateSnapshot s = new HotStateSnapshot();
        HotStateSnapshot.Entry p = s.position("BINANCE", "BTCUSDT");

        assertThat(s.position("BINANCE", "BTCUSDT")).isSameAs(p);
        assertThat(s.entry("position:BINANCE:BTCUSDT")).isSameAs(p);
        assertThat(p.keySuffix()).isEqualTo("position:BINANCE:BTCUSDT");
        assertThat(s.engine("risk").keySuffix()).isEqualTo("engine:risk");
        assertThat(s.limit("venue", "OKX").keySuffix()).isEqualTo("limit:venue:OKX");
        assertThat(s.state("symbol", "ETHUSDT").keySuffix()).isEqualTo("state:symbol:ETHUSDT");
        assertThat(s.book("OKX", "ETHUSDT").keySuffix()).isEqualTo("book:OKX:ETHUSDT");
        assertThat(s.size()).isEqualTo(5);
        assertThatThrownBy(() -> s.position("BIN ANCE", "BTCUSDT")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void settingTheSameValueIsNoChangeAndFieldsKeepTheirOrder() {
        HotStateSnapshot s = new HotStateSnapshot();
        HotStateSnapshot.Entry e = s.book("BINANCE", "BTCUSDT").set("bid", 10).set("ask", 11).set("state", "VALID");
        long v = e.version();

        e.set("bid", 10).set("state", "VALID");
        assertThat(e.version()).isEqualTo(v);
        e.set("ask", 12);
        assertThat(e.version()).isGreaterThan(v);
        e.set("ask", "12"); // a string now: a different value even if Redis shows the same text
        assertThat(e.isLong(1)).isFalse();
        assertThat(e.fieldCount()).isEqualTo(3);
        assertThat(new String[] {e.fieldName(0), e.fieldName(1), e.fieldName(2)}).containsExactly("bid", "ask", "state");
        assertThat(e.value("bid")).isEqualTo("10");
        assertThat(e.value("missing")).isNull();
    }

    @Test
    void removedEntryIsGoneAndARecreatedOneIsANewEntry() {
        HotStateSnapshot s = new HotStateSnapshot();
        HotStateSnapshot.Entry old = s.position("BINANCE", "BTCUSDT").set("qty", 1);

        assertThat(s.remove("position:BINANCE:BTCUSDT")).isTrue();
        assertThat(s.contains("position:BINANCE:BTCUSDT")).isFalse();
        assertThat(s.size()).isZero();
        HotStateSnapshot.Entry fresh = s.position("BINANCE", "BTCUSDT");
        assertThat(fresh).isNotSameAs(old);
        assertThat(fresh.fieldCount()).isZero();
    }

    @Test
    void refillingTheSameKeysAllocatesNothing() {
        HotStateSnapshot s = new HotStateSnapshot();
        refill(s, 0);
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long tid = Thread.currentThread().threadId();
        for (int warm = 1; warm < 20_000; warm++) {
            refill(s, warm);
        }
        long before = mx.getThreadAllocatedBytes(tid);
        for (int cycle = 0; cycle < 10_000; cycle++) {
            refill(s, cycle);
        }
        long allocated = mx.getThreadAllocatedBytes(tid) - before;

        assertThat(allocated).as("bytes allocated by 10k refills of %d entries", s.size()).isLessThan(1024);
        assertThat(s.size()).isEqualTo(VENUES.length * SYMBOLS.length * 2 + 1);
    }

    private static void refill(HotStateSnapshot s, long n) {
        for (String venue : VENUES) {
            for (String symbol : SYMBOLS) {
                s.position(venue, symbol).set("qtyLots", n).set("avgPriceTicks", 1000 + n);
                s.book(venue, symbol).set("bidTicks", n).set("askTicks", n + 1).set("state", (n & 1) == 0 ? "VALID" : "STALE");
            }
        }
        s.engine("risk").set("sequence", n);
    }
}
