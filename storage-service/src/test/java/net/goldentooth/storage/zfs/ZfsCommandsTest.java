package net.goldentooth.storage.zfs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class ZfsCommandsTest {

    @Test
    void namesAreQuotedAndShellIsRefused() {
        assertEquals("zfs snapshot -r 'rpool/data@autosnap_2025-07-18_18:13:17_hourly'",
                ZfsCommands.snapshot("rpool/data", "autosnap_2025-07-18_18:13:17_hourly", true));
        assertThrows(IllegalArgumentException.class, () -> ZfsCommands.snapshot("rpool/data", "x'; rm -rf /", false));
        assertThrows(IllegalArgumentException.class, () -> ZfsCommands.listSnapshots("rpool/$(reboot)"));
        assertThrows(IllegalArgumentException.class, () -> new ZfsCommands.Resume("1-abc; reboot"));
    }

    @Test
    void destroyReportsEachFailureByName() {
        assertEquals("zfs destroy 'rpool/data@a' || echo 'failed a'\nzfs destroy 'rpool/data@b' || echo 'failed b'\n",
                ZfsCommands.destroy("rpool/data", List.of("a", "b")));
        assertEquals("zfs list -H -o name -t filesystem,volume -r 'rpool/data'", ZfsCommands.listTree("rpool/data"));
    }

    @Test
    void sendStreams() {
        assertEquals("zfs send -I 'rpool/data@a' 'rpool/data@c'",
                ZfsCommands.send(new ZfsCommands.Incremental("rpool/data", "a", "c")));
        assertEquals("zfs send 'rpool/data@a'", ZfsCommands.send(new ZfsCommands.Full("rpool/data", "a")));
        assertEquals("zfs send -t 1-abc-0", ZfsCommands.send(new ZfsCommands.Resume("1-abc-0")));
        assertEquals(123456, ZfsCommands.bytesSent("noise\ngoldentooth-bytes 123456\n"));
    }

    @Test
    void listingParsesCreationAndGuidInCreationOrder() {
        String out = "rpool/data\tcreation\t1752862397\nrpool/data\tguid\t11\n"
                + "rpool/data@b\tcreation\t1752866003\nrpool/data@b\tguid\t22\n"
                + "rpool/data@a\tcreation\t1752862397\nrpool/data@a\tguid\t33\n"
                + "rpool/data/child\tcreation\t1\nrpool/data/child\tguid\t44\n";
        List<ZfsSnapshot> snaps = ZfsListing.parse("rpool/data", out);
        assertEquals(List.of(new ZfsSnapshot("a", Instant.ofEpochSecond(1752862397), "33"),
                new ZfsSnapshot("b", Instant.ofEpochSecond(1752866003), "22")), snaps);
        assertThrows(ZfsOutputException.class, () -> ZfsListing.parse("rpool/data", "garbage line"));
        assertThrows(ZfsOutputException.class, () -> ZfsListing.parse("rpool/data", "rpool/data@a\tcreation\tyesterday\nrpool/data@a\tguid\t1"));
    }
}
