package io.mme.connectors.coinbase;

import com.fasterxml.jackson.databind.JsonNode;
import io.mme.core.instrument.Instrument;
import io.mme.core.ring.Side;
import io.mme.marketdata.L2Book;

import java.math.BigDecimal;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.TreeMap;

/**
 * The test oracle: every product's book kept the slow, obvious way (JSON trees from a general
 * parser, BigDecimal maps), to compare with the books rebuilt from the decoders' output.
 */
final class ReferenceBooks {
    private final Map<String, TreeMap<BigDecimal, BigDecimal>> bids = new HashMap<>();
    private final Map<String, TreeMap<BigDecimal, BigDecimal>> asks = new HashMap<>();

    /** applies an Advanced Trade message's level2 events, if it has any */
    void advancedTrade(JsonNode message) {
        if (!message.path("channel").asText().equals("l2_data")) {
            return;
        }
        for (JsonNode event : message.path("events")) {
            String product = event.get("product_id").asText();
            if (event.get("type").asText().equals("snapshot")) {
                clear(product);
            }
            for (JsonNode update : event.path("updates")) {
                set(product, update.get("side").asText().equals("bid"), update.get("price_level").asText(), update.get("new_quantity").asText());
            }
        }
    }

    /** applies an Exchange snapshot or l2update, if the message is one */
    void exchange(JsonNode message) {
        String type = message.path("type").asText();
        String product = message.path("product_id").asText();
        if (type.equals("snapshot")) {
            clear(product);
            message.get("bids").forEach(level -> set(product, true, level.get(0).asText(), level.get(1).asText()));
            message.get("asks").forEach(level -> set(product, false, level.get(0).asText(), level.get(1).asText()));
        } else if (type.equals("l2update")) {
            message.get("changes").forEach(change -> set(product, change.get(0).asText().equals("buy"), change.get(1).asText(), change.get(2).asText()));
        }
    }

    boolean has(String product) {
        return bids.containsKey(product);
    }

    /**
     * The first difference between the reference book of the instrument's product and
     * {@code book} in their best {@code depth} levels a side (and in their number of levels when
     * the depth covers them all), or null when there is none.
     */
    String difference(Instrument instrument, L2Book book, int depth) {
        String product = instrument.venueSymbol();
        for (Side side : Side.values()) {
            TreeMap<BigDecimal, BigDecimal> levels = side == Side.BUY ? bids.get(product) : asks.get(product);
            if (depth >= levels.size() && book.levels(side) != levels.size()) {
                return product + " " + side + ": " + book.levels(side) + " levels, the reference has " + levels.size();
            }
            Iterator<Map.Entry<BigDecimal, BigDecimal>> it = levels.entrySet().iterator();
            for (int i = 0; i < depth && it.hasNext(); i++) {
                Map.Entry<BigDecimal, BigDecimal> level = it.next();
                long price = instrument.priceTicks(level.getKey().toPlainString());
                long qty = instrument.quantityLots(level.getValue().toPlainString());
                if (book.price(side, i) != price || book.quantity(side, i) != qty) {
                    return product + " " + side + " level " + i + ": " + book.price(side, i) + " x " + book.quantity(side, i)
                            + ", the reference has " + level.getKey() + " x " + level.getValue();
                }
            }
        }
        return null;
    }

    private void clear(String product) {
        bids.put(product, new TreeMap<>(Comparator.reverseOrder()));
        asks.put(product, new TreeMap<>());
    }

    private void set(String product, boolean bid, String price, String qty) {
        TreeMap<BigDecimal, BigDecimal> side = bid ? bids.get(product) : asks.get(product);
        BigDecimal p = new BigDecimal(price).stripTrailingZeros();
        BigDecimal q = new BigDecimal(qty);
        if (q.signum() == 0) {
            side.remove(p);
        } else {
            side.put(p, q);
        }
    }
}
