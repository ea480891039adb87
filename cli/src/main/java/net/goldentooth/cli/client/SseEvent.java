package net.goldentooth.cli.client;

/**
 * One dispatched server-sent event.
 *
 * @param type the {@code event:} field, {@code message} when the server sent none
 * @param data the {@code data:} lines joined with {@code \n}
 * @param id   the last {@code id:} seen on the stream, or null
 */
public record SseEvent(String type, String data, String id) {
}
