package net.goldentooth.deploy.k8s;

import io.fabric8.kubernetes.api.model.Volume;
import net.goldentooth.events.signing.SigningKeys;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The task-signing Secret the README tells operators to make with openssl is one the services can
 * read, and it is mounted readable by the pods' non-root user.
 */
class TaskSigningSecretTest {

    @Test
    void keysMadeAsTheReadmeSaysLoadAsAMatchingPair() throws Exception {
        Path dir = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "gt-signing");
        openssl(dir, "genpkey", "-algorithm", "ed25519", "-out", "task-signing.key");
        openssl(dir, "pkey", "-in", "task-signing.key", "-pubout", "-out", "task-signing.pub");
        Ed25519PrivateKeyParameters privateKey = SigningKeys.readPrivateKey(dir.resolve("task-signing.key"));
        assertArrayEquals(privateKey.generatePublicKey().getEncoded(),
                SigningKeys.readPublicKey(dir.resolve("task-signing.pub")).getEncoded());
        String readme = Files.readString(Manifests.K8S.resolve("README.md"));
        assertTrue(readme.contains("openssl genpkey -algorithm ed25519 -out task-signing.key"));
        assertTrue(readme.contains("openssl pkey -in task-signing.key -pubout -out task-signing.pub"));
    }

    @Test
    void theSecretIsGroupReadableForThePodsFsGroup() {
        for (Manifests.Workload d : Manifests.workloads(Manifests.all())) {
            var pod = d.template().getSpec();
            for (Volume volume : pod.getVolumes()) {
                if (volume.getSecret() != null) {
                    assertEquals(0440, volume.getSecret().getDefaultMode(), d.name());
                    assertEquals(pod.getSecurityContext().getRunAsUser(), pod.getSecurityContext().getFsGroup());
                }
            }
        }
    }

    private static void openssl(Path dir, String... args) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of("openssl"));
        command.addAll(Arrays.asList(args));
        Process process;
        try {
            process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        } catch (java.io.IOException e) {
            fail("openssl is not installed: apt-get install openssl (.ci/packages/deploy.txt)");
            return;
        }
        assertTrue(process.waitFor(60, TimeUnit.SECONDS));
        String output = new String(process.getInputStream().readAllBytes());
        assertEquals(0, process.exitValue(), String.join(" ", command) + ": " + output);
    }
}
