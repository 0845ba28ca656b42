package io.mme.app.instruments;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.StringJoiner;

/**
 * One unauthenticated GET (or, for Hyperliquid's info endpoint, POST) of a metadata endpoint with the JDK's HttpClient. A failure (no
 * connection, timeout, a status other than 200) is a {@link FetchException} whose message names the
 * URL and what went wrong. Used once per command on the command's thread.
 */
final class MetadataFetcher {
    private final Duration connectTimeout;
    private final Duration requestTimeout;

    MetadataFetcher(Duration connectTimeout, Duration requestTimeout) {
        this.connectTimeout = connectTimeout;
        this.requestTimeout = requestTimeout;
    }

    /** the body of a 200 answer to GET {@code url} */
    String get(URI url) {
        return fetch(url, null);
    }

    /** the body of a 200 answer to GET {@code url}, or to a POST of the JSON {@code body} when it is not null */
    String fetch(URI url, String body) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(url);
        if (body == null) {
            builder.GET();
        } else {
            builder.POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)).header("Content-Type", "application/json");
        }
        String method = body == null ? "GET " : "POST ";
        HttpRequest request = builder
                .timeout(requestTimeout)
                .header("Accept", "application/json")
                .header("User-Agent", "mme-instruments")
                .build();
        try (HttpClient client = HttpClient.newBuilder()
                .connectTimeout(connectTimeout)
                .followRedirects(HttpClient.Redirect.NORMAL)
                .build()) {
            HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            if (response.statusCode() != 200) {
                String answer = response.body() == null || response.body().isBlank() ? "" : ": " + MetadataJson.preview(response.body());
                throw new FetchException(method + url + " answered HTTP " + response.statusCode() + answer);
            }
            return response.body();
        } catch (HttpTimeoutException e) {
            throw new FetchException(method + url + " timed out (" + e.getMessage() + ")");
        } catch (ConnectException e) {
            throw new FetchException(method + url + " failed: cannot connect to " + url.getHost()
                    + (url.getPort() < 0 ? "" : ":" + url.getPort()) + " (" + causes(e) + ")");
        } catch (IOException e) {
            throw new FetchException(method + url + " failed: " + causes(e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new FetchException(method + url + " was interrupted");
        }
    }

    /**
     * The exception and its causes in one line, each kind once: the HttpClient's ConnectException
     * often has no message and wraps another ConnectException.
     */
    private static String causes(Throwable e) {
        StringJoiner out = new StringJoiner(": ");
        Set<String> seen = new HashSet<>();
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            String message = t.getMessage() == null || t.getMessage().isBlank() ? "" : " " + t.getMessage();
            String text = t.getClass().getSimpleName() + message;
            if (seen.add(text)) {
                out.add(text);
            }
        }
        return out.toString();
    }

    /** the endpoint could not be read */
    static final class FetchException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        FetchException(String message) {
            super(message);
        }
    }
}
