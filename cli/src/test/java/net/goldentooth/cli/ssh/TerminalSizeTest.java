package net.goldentooth.cli.ssh;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

/** What {@code goldentooth shell} makes of {@code stty size} when the local window changes size. */
class TerminalSizeTest {

    @Test
    void rowsThenColumns() {
        assertArrayEquals(new int[] {50, 132}, InteractiveShell.Terminal.parseSize("50 132\n"));
    }

    @Test
    void anythingElseKeepsTheCurrentSize() {
        assertNull(InteractiveShell.Terminal.parseSize(null));
        assertNull(InteractiveShell.Terminal.parseSize("stty: 'standard input': Inappropriate ioctl for device"));
        assertNull(InteractiveShell.Terminal.parseSize("0 0"));
        assertNull(InteractiveShell.Terminal.parseSize("24"));
    }
}
