package dev.modelops.sandbox.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Lists in chunks, as the API server serves {@code limit} and {@code continue}: items in namespace and name order,
 * a page of at most {@code limit}, and a continue token while more remain. Informers and kubectl list in chunks, so
 * that a client never holds a whole large list in memory at once. Unlike a real server, a later page shows objects
 * as they are then, not as of the first page's resourceVersion, which every page reports.
 */
final class ListPages {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern LIMIT = Pattern.compile("[?&]limit=(\\d+)");
    private static final Pattern CONTINUE = Pattern.compile("[?&]continue=([^&]*)");
    private static final Comparator<JsonNode> BY_KEY = Comparator.comparing(ListPages::key);

    private ListPages() {
    }

    /** Whether the request asks for a page rather than the whole list. */
    static boolean requested(String path) {
        return limit(path) > 0 || CONTINUE.matcher(path).find();
    }

    /** The page of the list that the request asks for. */
    static String page(String listBody, String path) throws IOException {
        JsonNode parsed = JSON.readTree(listBody);
        if (!(parsed instanceof ObjectNode list) || !(list.get("items") instanceof ArrayNode items)) {
            return listBody;
        }
        Token after = continueToken(path);
        List<JsonNode> remaining = new ArrayList<>();
        items.forEach(item -> {
            if (after == null || key(item).compareTo(after.key()) > 0) {
                remaining.add(item);
            }
        });
        remaining.sort(BY_KEY);
        long limit = limit(path);
        int size = limit > 0 ? (int) Math.min(limit, remaining.size()) : remaining.size();
        ArrayNode page = JSON.createArrayNode();
        remaining.subList(0, size).forEach(page::add);
        list.set("items", page);
        ObjectNode metadata = list.get("metadata") instanceof ObjectNode existing ? existing : list.putObject("metadata");
        String resourceVersion = after != null ? after.resourceVersion() : metadata.path("resourceVersion").asText("");
        metadata.put("resourceVersion", resourceVersion);
        metadata.remove(List.of("continue", "remainingItemCount"));
        if (size < remaining.size()) {
            metadata.put("continue", new Token(key(remaining.get(size - 1)), resourceVersion).encoded());
            metadata.put("remainingItemCount", remaining.size() - size);
        }
        return list.toString();
    }

    private static long limit(String path) {
        Matcher limit = LIMIT.matcher(path);
        return limit.find() ? Long.parseLong(limit.group(1)) : 0;
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
            if (newline < 0) {
                throw new IllegalArgumentException("no resourceVersion");
            }
            return new Token(decoded.substring(newline + 1), decoded.substring(0, newline));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the continue token is not one this server gave: list again without it");
        }
    }

    private static String key(JsonNode item) {
        JsonNode metadata = item.path("metadata");
        return metadata.path("namespace").asText("") + "/" + metadata.path("name").asText("");
    }

    /** Where the next page starts: after the item of this key, and the list's resourceVersion. */
    private record Token(String key, String resourceVersion) {

        String encoded() {
            return Base64.getUrlEncoder().withoutPadding()
                    .encodeToString((resourceVersion + "\n" + key).getBytes(StandardCharsets.UTF_8));
        }
    }
}
