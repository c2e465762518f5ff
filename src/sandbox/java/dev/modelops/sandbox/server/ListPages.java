package dev.modelops.sandbox.server;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Lists in chunks, as the API server serves {@code limit} and {@code continue}: items in namespace and name order,
 * a page of at most {@code limit}, and a continue token while more remain. Informers and kubectl list in chunks, so
 * that a client never holds a whole large list in memory at once. The store picks a page by its keys: it sorts the
 * keys of the whole list, but reads and sends only the objects on the page. Unlike a real server, a later page shows
 * objects as they are then, not as of the first page's resourceVersion, which every page reports. As on a real
 * server, a page filtered by selectors afterwards can hold fewer than {@code limit} items and still have a continue
 * token.
 *
 * @param limit the most items on the page; 0 for all that remain
 * @param after where the page starts, from the continue token; null for the first page
 */
record ListPages(long limit, Token after) {

    private static final Pattern LIMIT = Pattern.compile("[?&]limit=(\\d+)");
    private static final Pattern CONTINUE = Pattern.compile("[?&]continue=([^&]*)");

    /** The page a list request asks for, or empty when it asks for the whole list. */
    static Optional<ListPages> requested(String path) {
        Matcher limit = LIMIT.matcher(path);
        long max = limit.find() ? Long.parseLong(limit.group(1)) : 0;
        Token after = continueToken(path);
        return max > 0 || after != null ? Optional.of(new ListPages(max, after)) : Optional.empty();
    }

    /**
     * The page's items among those listed, and the list body with them.
     *
     * @param listed the items that the list matches, in any order
     * @param key an item's namespace and name, "namespace/name"
     * @param json an item as stored
     * @param resourceVersion the store's resourceVersion now, which the first page reports and its token carries
     */
    <T> String body(Collection<T> listed, Function<T, String> key, Function<T, String> json, String resourceVersion) {
        List<T> remaining = listed.stream().filter(item -> after == null || key.apply(item).compareTo(after.key()) > 0)
                .sorted(Comparator.comparing(key)).toList();
        int size = limit > 0 ? (int) Math.min(limit, remaining.size()) : remaining.size();
        String version = after != null ? after.resourceVersion() : resourceVersion;
        StringBuilder body = new StringBuilder("{\"apiVersion\":\"v1\",\"kind\":\"List\",\"items\":[");
        for (int i = 0; i < size; i++) {
            body.append(i == 0 ? "" : ",").append(json.apply(remaining.get(i)));
        }
        body.append("],\"metadata\":{\"resourceVersion\":\"").append(version).append('"');
        if (size < remaining.size()) {
            body.append(",\"continue\":\"").append(new Token(key.apply(remaining.get(size - 1)), version).encoded())
                    .append("\",\"remainingItemCount\":").append(remaining.size() - size);
        }
        return body.append("}}").toString();
    }

    private static Token continueToken(String path) {
        Matcher token = CONTINUE.matcher(path);
        if (!token.find() || token.group(1).isEmpty()) {
            return null;
        }
        try {
            String decoded = new String(Base64.getUrlDecoder().decode(
                    URLDecoder.decode(token.group(1), StandardCharsets.UTF_8)), StandardCharsets.UTF_8);
            int newline = decoded.indexOf('\n');
            if (newline < 0 || !decoded.substring(0, newline).matches("\\d*")) {
                throw new IllegalArgumentException("no resourceVersion");
            }
            return new Token(decoded.substring(newline + 1), decoded.substring(0, newline));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the continue token is not one this server gave: list again without it");
        }
    }

    /** Where the next page starts: after the item of this key, and the list's resourceVersion. */
    record Token(String key, String resourceVersion) {

        String encoded() {
            return Base64.getUrlEncoder().withoutPadding()
                    .encodeToString((resourceVersion + "\n" + key).getBytes(StandardCharsets.UTF_8));
        }
    }
}
