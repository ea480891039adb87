package net.goldentooth.cli.client;

import java.util.Optional;

/**
 * A line-fed parser for {@code text/event-stream} following the WHATWG rules that matter to a
 * client which does not reconnect: {@code event}, {@code data} (several lines joined with
 * {@code \n}), {@code id}, comments ({@code :}), and dispatch on a blank line. An event that the
 * stream ends in the middle of is discarded, as the specification says: a half-received status
 * must not be mistaken for a whole one.
 */
public final class SseParser {

    private static final String DEFAULT_TYPE = "message";

    private final StringBuilder data = new StringBuilder();
    private String type = "";
    private String lastId;
    private boolean firstLine = true;

    /**
     * Feeds one line without its terminator ({@code \n}, {@code \r\n} or {@code \r}).
     *
     * @return the event this line completes, if it is a blank line that ends one
     */
    public Optional<SseEvent> accept(String line) {
        if (firstLine) {
            firstLine = false;
            if (line.startsWith("\uFEFF")) {
                line = line.substring(1);
            }
        }
        if (line.isEmpty()) {
            return dispatch();
        }
        if (line.startsWith(":")) {
            return Optional.empty();
        }
        int colon = line.indexOf(':');
        String field = colon < 0 ? line : line.substring(0, colon);
        String value = colon < 0 ? "" : line.substring(colon + 1);
        if (value.startsWith(" ")) {
            value = value.substring(1);
        }
        switch (field) {
            case "event" -> type = value;
            case "data" -> data.append(value).append('\n');
            case "id" -> {
                if (value.indexOf('\0') < 0) {
                    lastId = value;
                }
            }
            default -> {
                // "retry" and unknown fields: this client never reconnects by itself.
            }
        }
        return Optional.empty();
    }

    private Optional<SseEvent> dispatch() {
        if (data.length() == 0) {
            type = "";
            return Optional.empty();
        }
        String payload = data.substring(0, data.length() - 1);
        SseEvent event = new SseEvent(type.isEmpty() ? DEFAULT_TYPE : type, payload, lastId);
        data.setLength(0);
        type = "";
        return Optional.of(event);
    }
}
