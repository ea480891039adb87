package net.goldentooth.provisioner.ansible;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import net.goldentooth.events.job.JobKind;
import net.goldentooth.events.job.JobRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PlaybookInvocationTest {

    @TempDir
    Path dir;

    @Test
    void argvIsAListWithTheExtraVariablesAsOneJsonObject() {
        PlaybookInvocation run = new PlaybookInvocation("setup_consul", "bettley,cargyll",
                PlaybookInvocation.parseExtraVars(List.of("version=1.2 beta", "x=a=b")));
        assertEquals(List.of("ansible-playbook", "/p/setup_consul.yaml", "-i", "/etc/inv.yaml", "--limit",
                        "bettley,cargyll", "-e", "{\"version\":\"1.2 beta\",\"x\":\"a=b\"}"),
                run.argv("ansible-playbook", Path.of("/p/setup_consul.yaml"), Path.of("/etc/inv.yaml")));
    }

    @Test
    void withoutLimitOrVarsTheArgvIsMinimal() {
        assertEquals(List.of("ap", "/p/setup_x.yaml", "-i", "/i"),
                new PlaybookInvocation("setup_x", null, Map.of()).argv("ap", Path.of("/p/setup_x.yaml"), Path.of("/i")));
    }

    @Test
    void theJobRequestCarriesEverythingAndReadsBack() {
        PlaybookInvocation run = new PlaybookInvocation("setup_node_agent", "k8s_worker",
                PlaybookInvocation.parseExtraVars(List.of("a=1", "b=two words")));
        JobRequest request = run.toRequest("key", 600, "nathan");
        assertEquals(JobKind.PLAYBOOK, request.kind());
        assertEquals("setup_node_agent", request.command());
        assertEquals("k8s_worker", request.pattern());
        assertEquals(run, PlaybookInvocation.fromRequest(request));
        PlaybookInvocation whole = new PlaybookInvocation("setup_x", null, Map.of());
        assertEquals("all", whole.toRequest(null, null, null).pattern());
        assertEquals(whole, PlaybookInvocation.fromRequest(whole.toRequest(null, null, null)));
    }

    @Test
    void namesThatCouldLeaveTheDirectoryAreRefused() {
        for (String bad : List.of("../setup_x", "setup_../../etc/passwd", "setup_a/b", "setup_x.yaml", "consul",
                "SETUP_X", "setup_", "")) {
            PlaybookException e = assertThrows(PlaybookException.class, () -> PlaybookInvocation.checkName(bad), bad);
            assertTrue(e.getMessage().contains("is invalid"), e.getMessage());
        }
        PlaybookInvocation.checkName("setup_node_agent");
        PlaybookInvocation.checkName("setup_k8s-packages");
    }

    @Test
    void malformedExtraVariablesAreRefusedWithTheReason() {
        assertEquals("extra variable 'novalue' is not key=value",
                assertThrows(PlaybookException.class, () -> PlaybookInvocation.parseExtraVars(List.of("novalue")))
                        .getMessage());
        assertEquals("extra variable '=x' is not key=value",
                assertThrows(PlaybookException.class, () -> PlaybookInvocation.parseExtraVars(List.of("=x")))
                        .getMessage());
        assertTrue(assertThrows(PlaybookException.class,
                () -> PlaybookInvocation.parseExtraVars(List.of("bad-name=1"))).getMessage()
                .startsWith("extra variable name 'bad-name' is invalid"));
        assertTrue(assertThrows(PlaybookException.class,
                () -> PlaybookInvocation.parseExtraVars(List.of("k=a\nb=c"))).getMessage().contains("line break"));
    }

    @Test
    void theCatalogueListsSetupPlaybooksAndNamesThemOnAnUnknownOne() throws IOException {
        Files.writeString(dir.resolve("setup_b.yaml"), "- hosts: all\n");
        Files.writeString(dir.resolve("setup_a.yaml"), "- hosts: all\n");
        Files.writeString(dir.resolve("other.yaml"), "- hosts: all\n");
        Files.createDirectory(dir.resolve("setup_dir.yaml"));
        PlaybookCatalogue catalogue = new PlaybookCatalogue(dir);
        assertEquals(List.of("setup_a", "setup_b"), catalogue.names());
        assertEquals(dir.resolve("setup_a.yaml").toAbsolutePath(), catalogue.resolve("setup_a"));
        PlaybookException unknown = assertThrows(PlaybookException.class, () -> catalogue.resolve("setup_c"));
        assertTrue(unknown.getMessage().startsWith("unknown playbook 'setup_c'; playbooks in "), unknown.getMessage());
        assertTrue(unknown.getMessage().endsWith(": setup_a, setup_b"), unknown.getMessage());
        assertEquals(List.of("setup_a", "setup_b"), unknown.hints());
        assertThrows(PlaybookException.class, () -> catalogue.resolve("setup_dir"));
        assertEquals(List.of(), new PlaybookCatalogue(dir.resolve("missing")).names());
    }
}
