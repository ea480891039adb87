package net.goldentooth.cli.render;

import static net.goldentooth.cli.Fixtures.job;
import static net.goldentooth.cli.Fixtures.target;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import net.goldentooth.cli.Fixtures.Capture;
import net.goldentooth.events.job.JobProgress;
import net.goldentooth.events.job.JobState;
import net.goldentooth.events.job.ProgressKind;
import net.goldentooth.events.job.TargetState;
import org.junit.jupiter.api.Test;

class TagPrinterTest {

    private final Capture out = new Capture();
    private final Capture err = new Capture();

    private static JobProgress output(String node, String taskId, long seq, String stream, String data) {
        return new JobProgress("j", taskId, node, ProgressKind.OUTPUT, seq, Instant.EPOCH, stream, data,
                null, null, null, null, null);
    }

    @Test
    void printsTheSnapshotThenOnlyProgressBeyondItsLastSeq() {
        TagPrinter printer = new TagPrinter(out.stream, err.stream, job("j", JobState.RUNNING,
                target("dalt", TargetState.RUNNING, null, "one\ntwo\n", null, null, 1L),
                target("bettley", TargetState.RUNNING, null, null, null, null, null)).targets());
        printer.onProgress(output("dalt", "task-dalt", 0, "stdout", "one\n"));
        printer.onProgress(output("dalt", "task-dalt", 1, "stdout", "two\n"));
        printer.onProgress(output("dalt", "task-dalt", 2, "stdout", "three\n"));
        printer.onProgress(output("bettley", "task-bettley", 0, "stdout", "hello\n"));
        printer.onProgress(output("dalt", "task-dalt", 2, "stdout", "three\n"));
        printer.finish();
        assertEquals("dalt: one\ndalt: two\ndalt: three\nbettley: hello\n", out.text());
    }

    @Test
    void joinsChunksIntoLinesAndFlushesTheRestAtTheEnd() {
        TagPrinter printer = new TagPrinter(out.stream, err.stream, job("j", JobState.RUNNING,
                target("dalt", TargetState.RUNNING, null, "par", null, null, 0L)).targets());
        printer.onProgress(output("dalt", "task-dalt", 1, "stdout", "tial\nnext"));
        printer.onProgress(output("dalt", "task-dalt", 2, "stdout", " line\r\nlast"));
        assertEquals("dalt: partial\ndalt: next line\n", out.text());
        printer.finish();
        assertEquals("dalt: partial\ndalt: next line\ndalt: last\n", out.text());
    }

    @Test
    void remoteStderrGoesToLocalStderrTagged() {
        TagPrinter printer = new TagPrinter(out.stream, err.stream, job("j", JobState.RUNNING,
                target("fenn", TargetState.RUNNING, null, null, "old warning\n", null, 0L)).targets());
        printer.onProgress(output("fenn", "task-fenn", 1, "stderr", "new warning\n"));
        printer.onProgress(output("fenn", "task-fenn", 2, "stdout", "data\n"));
        printer.finish();
        assertEquals("fenn: data\n", out.text());
        assertEquals("fenn: old warning\nfenn: new warning\n", err.text());
    }

    @Test
    void aNewTaskForTheSameNodeStartsItsOwnSequence() {
        TagPrinter printer = new TagPrinter(out.stream, err.stream, job("j", JobState.RUNNING,
                target("jast", TargetState.RUNNING, null, "agent said\n", null, null, 4L)).targets());
        printer.onProgress(output("jast", "task-ssh-retry", 0, "stdout", "ssh said\n"));
        printer.finish();
        assertEquals("jast: agent said\njast: ssh said\n", out.text());
    }

    @Test
    void ignoresProgressThatIsNotOutput() {
        TagPrinter printer = new TagPrinter(out.stream, err.stream, job("j", JobState.RUNNING).targets());
        printer.onProgress(new JobProgress("j", "t", "dalt", ProgressKind.FINISHED, 5, Instant.EPOCH, null, null,
                0, 10L, false, false, null));
        printer.finish();
        assertEquals("", out.text());
    }
}
