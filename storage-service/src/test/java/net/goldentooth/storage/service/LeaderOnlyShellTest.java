package net.goldentooth.storage.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import net.goldentooth.storage.errors.StorageError;
import net.goldentooth.storage.shell.ShellResult;
import net.goldentooth.storage.zfs.ZfsCommands;
import org.junit.jupiter.api.Test;

class LeaderOnlyShellTest {

    private final List<String> ran = new ArrayList<>();
    private final AtomicBoolean leads = new AtomicBoolean(false);
    private final LeaderOnlyShell shell = new LeaderOnlyShell((node, command, stdin) -> {
        ran.add(command);
        return new ShellResult(0, "", "");
    }, "storage-planner", leads::get);

    @Test
    void aStandbyListsButChangesNothing() {
        String listing = ZfsCommands.listSnapshots("rpool/data");
        shell.run("allyrion", listing, null);
        NotLeaderException refused = assertThrows(NotLeaderException.class,
                () -> shell.run("allyrion", ZfsCommands.snapshot("rpool/data", "autosnap_x_hourly", false), null));
        assertEquals(StorageError.Kind.NOT_LEADER, refused.error().kind());
        assertTrue(refused.error().retryable());
        assertEquals(List.of(listing), ran, "the snapshot never reached the node");
    }

    @Test
    void theLeaderChangesPoolsAndLosingTheLeaseStopsTheNextChange() {
        leads.set(true);
        String take = ZfsCommands.snapshot("rpool/data", "autosnap_x_hourly", false);
        shell.run("allyrion", take, null);
        leads.set(false);
        assertThrows(NotLeaderException.class, () -> shell.run("allyrion", take, null));
        assertEquals(List.of(take), ran);
    }

    @Test
    void onlyPlainListingsCountAsReadOnly() {
        assertTrue(LeaderOnlyShell.readOnly("zfs get -Hp -d 1 -o name,property,value creation,guid 'rpool/data'"));
        assertTrue(LeaderOnlyShell.readOnly("zfs list -H -o name -t filesystem,volume -r 'rpool/data'"));
        assertFalse(LeaderOnlyShell.readOnly("zfs destroy 'rpool/data@a'"));
        assertFalse(LeaderOnlyShell.readOnly("zfs get x 'a'; zfs destroy 'rpool/data@a'"), "a chained change is a change");
        assertFalse(LeaderOnlyShell.readOnly("zfs list 'a' | zfs receive -F 'b'"));
    }
}
