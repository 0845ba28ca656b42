package io.mme.app.api.rest;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * The API's bearer tokens, kept only as SHA-256 hashes. Two sources, either or both:
 * <ul>
 *   <li>a file, one token per line: {@code principal role sha256hex} (whitespace separated;
 *       {@code #} starts a comment; blank lines ignored). Make a hash with
 *       {@code printf %s "$TOKEN" | sha256sum}.</li>
 *   <li>the environment variable {@value #ENVIRONMENT}: {@code principal:role:token,...} with raw
 *       tokens, hashed at load; the raw text is never kept, logged or put in an error message.</li>
 * </ul>
 * Roles: viewer, trader, risk-officer, admin. A presented token is hashed and compared with every
 * stored hash in constant time ({@link MessageDigest#isEqual}), all of them each time. Immutable
 * after construction; any thread.
 */
public final class TokenStore {
    /** the environment variable with raw tokens */
    public static final String ENVIRONMENT = "MME_API_TOKENS";

    /** who a valid token belongs to */
    public record Caller(String principal, Role role) {
    }

    private record Entry(String principal, Role role, byte[] hash) {
    }

    private final List<Entry> entries;

    /**
     * @param file        a token file, or null
     * @param environment the value of {@value #ENVIRONMENT} ({@code principal:role:token,...}), or null
     * @throws IllegalArgumentException naming the line or entry that is malformed (never its token)
     */
    public TokenStore(Path file, String environment) throws IOException {
        List<Entry> all = new ArrayList<>();
        if (file != null) {
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            for (int i = 0; i < lines.size(); i++) {
                String line = lines.get(i);
                int hash = line.indexOf('#');
                String content = (hash >= 0 ? line.substring(0, hash) : line).trim();
                if (content.isEmpty()) {
                    continue;
                }
                String where = file + " line " + (i + 1);
                String[] parts = content.split("\\s+");
                if (parts.length != 3) {
                    throw new IllegalArgumentException(where + ": expected 'principal role sha256hex', found "
                            + parts.length + " fields");
                }
                all.add(new Entry(parts[0], role(where, parts[1]), hexHash(where, parts[2])));
            }
        }
        if (environment != null && !environment.isBlank()) {
            String[] items = environment.split(",");
            for (int i = 0; i < items.length; i++) {
                String item = items[i].trim();
                if (item.isEmpty()) {
                    continue;
                }
                String where = ENVIRONMENT + " entry " + (i + 1);
                int first = item.indexOf(':');
                int second = first < 0 ? -1 : item.indexOf(':', first + 1);
                if (first <= 0 || second <= first + 1 || second == item.length() - 1) {
                    throw new IllegalArgumentException(where + ": expected 'principal:role:token'");
                }
                all.add(new Entry(item.substring(0, first), role(where, item.substring(first + 1, second)),
                        sha256(item.substring(second + 1))));
            }
        }
        for (int i = 0; i < all.size(); i++) {
            for (int j = 0; j < i; j++) {
                if (MessageDigest.isEqual(all.get(i).hash(), all.get(j).hash())) {
                    throw new IllegalArgumentException("principals " + all.get(j).principal() + " and "
                            + all.get(i).principal() + " have the same token");
                }
            }
        }
        this.entries = List.copyOf(all);
    }

    /** the file (or null) and {@value #ENVIRONMENT} from this process's environment */
    public static TokenStore fromEnvironment(Path file) throws IOException {
        return new TokenStore(file, System.getenv(ENVIRONMENT));
    }

    /** how many tokens */
    public int size() {
        return entries.size();
    }

    /** the principals, for a start-up log line (no token material) */
    public List<String> principals() {
        return entries.stream().map(e -> e.principal() + " (" + e.role().configName() + ")").toList();
    }

    /** the caller a raw token belongs to; every stored hash is compared, in constant time each */
    public Optional<Caller> authenticate(String token) {
        if (token == null || token.isEmpty()) {
            return Optional.empty();
        }
        byte[] presented = sha256(token);
        Entry match = null;
        for (Entry entry : entries) {
            if (MessageDigest.isEqual(entry.hash(), presented) && match == null) {
                match = entry;
            }
        }
        return match == null ? Optional.empty() : Optional.of(new Caller(match.principal(), match.role()));
    }

    /** the lowercase hex SHA-256 of a token, as the token file wants it */
    public static String sha256Hex(String token) {
        return HexFormat.of().formatHex(sha256(token));
    }

    private static byte[] sha256(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }

    private static Role role(String where, String text) {
        try {
            return Role.parse(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(where + ": " + e.getMessage(), e);
        }
    }

    private static byte[] hexHash(String where, String text) {
        if (text.length() != 64 || !text.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
            throw new IllegalArgumentException(where + ": the hash must be 64 hex digits (SHA-256)");
        }
        return HexFormat.of().parseHex(text.toLowerCase(java.util.Locale.ROOT));
    }
}
