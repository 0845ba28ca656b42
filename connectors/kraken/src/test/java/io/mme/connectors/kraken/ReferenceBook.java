package io.mme.connectors.kraken;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.util.Comparator;
import java.util.Iterator;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.CRC32;

/**
 * The test oracle: a Kraken book kept the slow, obvious way (BigDecimal maps) and its checksum
 * computed as Kraken's guide describes it, with strings: each value formatted with the
 * instrument's decimals, the point removed, leading zeros stripped.
 */
final class ReferenceBook {
    private final TreeMap<BigDecimal, BigDecimal> asks = new TreeMap<>();
    private final TreeMap<BigDecimal, BigDecimal> bids = new TreeMap<>(Comparator.reverseOrder());
    private final int priceDecimals;
    private final int sizeDecimals;

    ReferenceBook(int priceDecimals, int sizeDecimals) {
        this.priceDecimals = priceDecimals;
        this.sizeDecimals = sizeDecimals;
    }

    ReferenceBook set(boolean bid, String price, String qty) {
        TreeMap<BigDecimal, BigDecimal> side = bid ? bids : asks;
        BigDecimal q = new BigDecimal(qty);
        if (q.signum() == 0) {
            side.remove(new BigDecimal(price).setScale(priceDecimals, RoundingMode.UNNECESSARY));
        } else {
            side.put(new BigDecimal(price).setScale(priceDecimals, RoundingMode.UNNECESSARY), q);
        }
        return this;
    }

    ReferenceBook truncate(int depth) {
        while (asks.size() > depth) {
            asks.pollLastEntry();
        }
        while (bids.size() > depth) {
            bids.pollLastEntry();
        }
        return this;
    }

    long checksum() {
        StringBuilder text = new StringBuilder();
        append(asks, text);
        append(bids, text);
        CRC32 crc = new CRC32();
        crc.update(text.toString().getBytes(StandardCharsets.US_ASCII));
        return crc.getValue();
    }

    private void append(TreeMap<BigDecimal, BigDecimal> side, StringBuilder text) {
        Iterator<Map.Entry<BigDecimal, BigDecimal>> it = side.entrySet().iterator();
        for (int i = 0; i < 10 && it.hasNext(); i++) {
            Map.Entry<BigDecimal, BigDecimal> level = it.next();
            text.append(digits(level.getKey(), priceDecimals)).append(digits(level.getValue(), sizeDecimals));
        }
    }

    private static String digits(BigDecimal value, int decimals) {
        return value.setScale(decimals, RoundingMode.UNNECESSARY).toPlainString().replace(".", "").replaceFirst("^0+", "");
    }
}
