package net.goldentooth.cli.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SseParserTest {

    private static List<SseEvent> parse(String... lines) {
        SseParser parser = new SseParser();
        List<SseEvent> events = new ArrayList<>();
        for (String line : lines) {
            parser.accept(line).ifPresent(events::add);
        }
        return events;
    }

    @Test
    void dispatchesOnBlankLineWithTypeAndData() {
        List<SseEvent> events = parse("event: status", "data: {\"a\":1}", "", "event: progress", "data: {}", "");
        assertEquals(List.of(new SseEvent("status", "{\"a\":1}", null), new SseEvent("progress", "{}", null)), events);
    }

    @Test
    void joinsMultipleDataLinesWithNewlines() {
        List<SseEvent> events = parse("data: first", "data:second", "data:  third", "");
        assertEquals("first\nsecond\n third", events.get(0).data());
    }

    @Test
    void defaultTypeIsMessageAndTypeDoesNotLeakIntoTheNextEvent() {
        List<SseEvent> events = parse("event: status", "data: x", "", "data: y", "");
        assertEquals("status", events.get(0).type());
        assertEquals("message", events.get(1).type());
    }

    @Test
    void ignoresCommentsAndUnknownFieldsAndRetry() {
        List<SseEvent> events = parse(": keep-alive", "retry: 1000", "foo: bar", "data: x", ": between", "");
        assertEquals(List.of(new SseEvent("message", "x", null)), events);
    }

    @Test
    void eventWithoutDataIsNotDispatchedAndResetsType() {
        List<SseEvent> events = parse("event: status", "", "data: later", "");
        assertEquals(List.of(new SseEvent("message", "later", null)), events);
    }

    @Test
    void fieldWithoutColonIsAFieldWithEmptyValue() {
        List<SseEvent> events = parse("data", "data", "");
        assertEquals("\n", events.get(0).data());
    }

    @Test
    void keepsTheLastIdAcrossEvents() {
        List<SseEvent> events = parse("id: 7", "data: a", "", "data: b", "");
        assertEquals("7", events.get(0).id());
        assertEquals("7", events.get(1).id());
    }

    @Test
    void stripsByteOrderMarkOfTheFirstLineOnly() {
        List<SseEvent> events = parse("\uFEFFevent: status", "data: x", "");
        assertEquals("status", events.get(0).type());
    }

    @Test
    void anEventTheStreamEndsInTheMiddleOfIsNeverDispatched() {
        List<SseEvent> events = parse("event: status", "data: {\"half\":");
        assertTrue(events.isEmpty());
    }

    @Test
    void colonInsideTheValueIsKept() {
        List<SseEvent> events = parse("data: {\"at\":\"12:00:01\"}", "");
        assertEquals("{\"at\":\"12:00:01\"}", events.get(0).data());
    }
}
