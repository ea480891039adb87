package net.goldentooth.monitor.dashboard;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.List;

/** One node's temperature, load, memory and disk samples over a sliding window (a ring that drops what is too old). */
public final class History {

    /**
     * @param temperature     null where the facts had none (likewise every figure)
     * @param memoryUsedRatio share of memory not available
     * @param diskUsedRatio   the fullest filesystem's used share
     */
    public record Point(Instant at, Double temperature, Double load1, Double memoryUsedRatio, Double diskUsedRatio) {
    }

    private final Duration window;
    private final ArrayDeque<Point> points = new ArrayDeque<>();

    public History(Duration window) {
        this.window = window;
    }

    public synchronized void add(Point point) {
        if (!points.isEmpty() && !point.at().isAfter(points.peekLast().at())) {
            return;
        }
        points.addLast(point);
        Instant oldest = point.at().minus(window);
        while (!points.isEmpty() && points.peekFirst().at().isBefore(oldest)) {
            points.removeFirst();
        }
    }

    public synchronized List<Point> points() {
        return List.copyOf(points);
    }
}
