package io.mme.core.venue;

/**
 * The engine's client order ids (longs, see {@link io.mme.core.ring.ClientOrderIds}) as venue
 * client-id text: {@code <tag>-<id in base 36>}, e.g. {@code k3f9-2s1}. The tag names one run
 * directory, so that ids of an earlier run (which restart from small numbers) never collide with
 * ours on a venue whose client ids are idempotent keys (Coinbase) and are recognised as not ours at
 * reconciliation. At most 4 + 1 + 13 = 18 characters of {@code [a-z0-9-]}: inside every venue's
 * rules (Kraken's 18-character text, Binance's 36 of {@code [a-zA-Z0-9-_]}). Immutable, thread-safe.
 */
public final class ClientIdCodec {
    public static final int MAX_TAG = 4;
    private final String tag;
    private final String prefix;

    public ClientIdCodec(String tag) {
        if (tag == null || tag.isEmpty() || tag.length() > MAX_TAG || !tag.chars().allMatch(c -> (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))) {
            throw new IllegalArgumentException("client id tag must be 1 to " + MAX_TAG + " characters of a-z and 0-9: '" + tag + "'");
        }
        this.tag = tag;
        this.prefix = tag + "-";
    }

    public String tag() {
        return tag;
    }

    /** the venue text of an engine id */
    public String encode(long clientOrderId) {
        if (clientOrderId <= 0) {
            throw new IllegalArgumentException("client order ids are positive: " + clientOrderId);
        }
        return prefix + Long.toString(clientOrderId, 36);
    }

    /** the engine id in a venue text, or -1 when the text is not one of ours (another tag, foreign, malformed) */
    public long decode(String text) {
        if (text == null || !text.startsWith(prefix) || text.length() == prefix.length() || text.length() > prefix.length() + 13) {
            return -1;
        }
        long id = 0;
        for (int i = prefix.length(); i < text.length(); i++) {
            int d = Character.digit(text.charAt(i), 36);
            if (d < 0 || Character.isUpperCase(text.charAt(i))) {
                return -1;
            }
            if (id > (Long.MAX_VALUE - d) / 36) {
                return -1;
            }
            id = id * 36 + d;
        }
        return id > 0 ? id : -1;
    }

    /**
     * A venue order id text as the long an {@link io.mme.core.ring.ExecutionReport} carries: the
     * number itself when the venue's ids are decimal (Binance), else a 64-bit FNV-1a hash of the text
     * (Coinbase UUIDs, Kraken {@code OQCLML-BW3P3-BUCMWZ}); gateways keep the text for requests.
     */
    public static long venueOrderKey(String venueOrderId) {
        if (venueOrderId == null || venueOrderId.isEmpty()) {
            return 0;
        }
        if (venueOrderId.length() <= 18 && venueOrderId.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return Long.parseLong(venueOrderId);
        }
        long h = 0xcbf29ce484222325L;
        for (int i = 0; i < venueOrderId.length(); i++) {
            h ^= venueOrderId.charAt(i);
            h *= 0x100000001b3L;
        }
        return h & Long.MAX_VALUE;
    }
}
