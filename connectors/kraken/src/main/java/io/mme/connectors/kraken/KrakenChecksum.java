package io.mme.connectors.kraken;

import io.mme.core.instrument.DecimalGrid;
import io.mme.core.instrument.Instrument;
import io.mme.core.ring.Side;
import io.mme.marketdata.L2Book;

import java.util.zip.CRC32;

/**
 * Kraken's book checksum (WS v1 {@code book-N} and WS v2 {@code book} alike): CRC32 over the top
 * ten asks, lowest first, then the top ten bids, highest first; each level contributes its price
 * text and then its quantity text with the decimal point removed and leading zeros stripped.
 *
 * <p>The venue's text is not kept. It is rebuilt from the book's ticks and lots with the number
 * of decimals the venue prints (trailing zeros count: {@code "0.10000000"} gives {@code 10000000}).
 * Without the point and leading zeros that text is just the value in units of 10^-decimals, written
 * in decimal: the digits of {@code steps × stepUnits}, followed by {@code decimals − scale} zeros
 * when the venue prints more decimals than the grid has, or with the {@code scale − decimals}
 * zeros it has fewer dropped. It is written as ASCII into a reusable byte array; nothing is
 * allocated.
 *
 * <p>Thread: owned by one decoder, used on its decoding thread.
 */
final class KrakenChecksum {
    /** levels per side the checksum covers, whatever the subscribed depth */
    static final int LEVELS = 10;
    /** the longest number: 19 digits of a long and up to 18 zeros of padding */
    private static final int MAX_NUMBER = 19 + DecimalGrid.MAX_SCALE;

    private final CRC32 crc = new CRC32();
    private final byte[] text = new byte[2 * LEVELS * 2 * MAX_NUMBER];
    private final byte[] digits = new byte[19];

    /**
     * The unsigned 32-bit checksum of {@code book}'s top ten levels per side, prices printed with
     * {@code priceDecimals} and quantities with {@code sizeDecimals} decimals.
     */
    long of(L2Book book, Instrument instrument, int priceDecimals, int sizeDecimals) {
        int n = side(book, Side.SELL, instrument, priceDecimals, sizeDecimals, 0);
        n = side(book, Side.BUY, instrument, priceDecimals, sizeDecimals, n);
        crc.reset();
        crc.update(text, 0, n);
        return crc.getValue();
    }

    private int side(L2Book book, Side side, Instrument instrument, int priceDecimals, int sizeDecimals, int at) {
        int levels = Math.min(LEVELS, book.levels(side));
        for (int i = 0; i < levels; i++) {
            at = number(book.price(side, i), instrument.tick(), priceDecimals, at);
            at = number(book.quantity(side, i), instrument.lot(), sizeDecimals, at);
        }
        return at;
    }

    /** writes the digits of a non-negative value without point or leading zeros; zero writes nothing */
    private int number(long steps, DecimalGrid grid, int decimals, int at) {
        long units = Math.multiplyExact(steps, grid.stepUnits());
        for (int z = decimals; z < grid.scale(); z++) {
            units /= 10;
        }
        if (units <= 0) {
            return at;
        }
        int d = digits.length;
        while (units > 0) {
            digits[--d] = (byte) ('0' + units % 10);
            units /= 10;
        }
        int length = digits.length - d;
        System.arraycopy(digits, d, text, at, length);
        at += length;
        for (int z = grid.scale(); z < decimals; z++) {
            text[at++] = '0';
        }
        return at;
    }
}
