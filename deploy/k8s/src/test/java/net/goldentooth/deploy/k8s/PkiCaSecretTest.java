package net.goldentooth.deploy.k8s;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * pki-service's two instances share one CA from the Secret goldentooth-pki-ca, each copying it into
 * its own state volume with the init container, whose shell script is run here against temporary
 * directories standing in for the Secret and the volume (no cluster: the pod is not started).
 */
class PkiCaSecretTest {

    /** The files two instances share (pki-service's CaBackup.KEY_STORES and CERTIFICATES, and the password; TwoInstancesIT copies these). */
    static final List<String> CA_FILES = List.of("x509-ca.p12", "ssh-host-ca.p12", "ssh-user-ca.p12", "root.pem",
            "intermediate.pem", "ca-password");

    private final List<Manifests.Doc> docs = Manifests.all();
    private Manifests.Workload pki;
    private Container init;

    @TempDir
    Path dir;

    @BeforeEach
    void find() {
        pki = Manifests.workloads(docs).stream().filter(w -> w.name().equals("pki-service")).findFirst().orElseThrow();
        List<Container> inits = pki.template().getSpec().getInitContainers();
        assertEquals(1, inits.size(), "pki-service: one init container copies the CA");
        init = inits.get(0);
    }

    @Test
    void theCaSecretReachesOnlyTheInitContainer() {
        Volume ca = pki.template().getSpec().getVolumes().stream()
                .filter(v -> v.getSecret() != null && "goldentooth-pki-ca".equals(v.getSecret().getSecretName()))
                .findFirst().orElseThrow(() -> new AssertionError("pki-service mounts no Secret goldentooth-pki-ca"));
        assertTrue(init.getVolumeMounts().stream().anyMatch(m -> m.getName().equals(ca.getName()) && Boolean.TRUE.equals(m.getReadOnly())));
        assertTrue(pki.template().getSpec().getContainers().stream()
                        .allMatch(c -> c.getVolumeMounts().stream().noneMatch(m -> m.getName().equals(ca.getName()))),
                "the service reads its own copy, never the Secret");
        for (Manifests.Workload other : Manifests.workloads(docs)) {
            if (!other.name().equals(pki.name())) {
                assertTrue(other.template().getSpec().getVolumes().stream().noneMatch(v -> v.getSecret() != null
                        && "goldentooth-pki-ca".equals(v.getSecret().getSecretName())), other.name() + " mounts the CA");
            }
        }
        String readme = read(Manifests.K8S.resolve("README.md"));
        assertTrue(readme.contains("kubectl -n goldentooth create secret generic goldentooth-pki-ca"), "README: how to create it");
        for (String file : CA_FILES) {
            assertTrue(readme.contains("--from-file=" + file), "README: the Secret's key " + file);
        }
    }

    @Test
    void anInstanceNeverInitialisesACaOfItsOwnAndKeepsThePasswordOnItsVolume() throws Exception {
        ConfigMap config = Manifests.ofType(docs, ConfigMap.class).stream()
                .filter(c -> c.getMetadata().getName().equals("pki-service-config")).findFirst().orElseThrow();
        Properties p = new Properties();
        p.load(new StringReader(config.getData().get("application.properties")));
        assertEquals("false", p.getProperty("goldentooth.pki.auto-init"));
        assertEquals(stateMount() + "/ca-password", p.getProperty("goldentooth.pki.password-file"));
        assertEquals(stateMount(), p.getProperty("goldentooth.pki.state-dir"));
    }

    @Test
    void aFreshVolumeGetsTheCaWithModeSixHundredAndARestartKeepsIt() throws Exception {
        Path secret = secret();
        Path volume = Files.createDirectories(dir.resolve("volume"));
        Files.writeString(volume.resolve("used-tokens"), "t1\n");
        assertEquals(0, run(secret, volume).exit());
        for (String file : CA_FILES) {
            assertArrayEquals(Files.readAllBytes(secret.resolve(file)), Files.readAllBytes(volume.resolve(file)), file);
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(volume.resolve(file))), file);
        }
        assertEquals("t1\n", Files.readString(volume.resolve("used-tokens")), "the instance's own state is left alone");
        assertEquals(0, run(secret, volume).exit(), "a restart on the same volume");
        try (var listing = Files.list(volume)) {
            assertEquals(CA_FILES.size() + 1, listing.count(), "no temporary file left behind");
        }
    }

    @Test
    void aVolumeHoldingAnotherCaStopsThePod() throws Exception {
        Path secret = secret();
        Path volume = Files.createDirectories(dir.resolve("volume"));
        assertEquals(0, run(secret, volume).exit());
        Files.writeString(secret.resolve("x509-ca.p12"), "another CA's key store");
        Result result = run(secret, volume);
        assertNotEquals(0, result.exit());
        assertTrue(result.output().contains("x509-ca.p12 differs from the Secret goldentooth-pki-ca"), result.output());
        assertNotEquals("another CA's key store", Files.readString(volume.resolve("x509-ca.p12")), "nothing overwritten");
    }

    @Test
    void aSecretWithoutAKeyCopiesNothing() throws Exception {
        Path secret = secret();
        Files.delete(secret.resolve("ca-password"));
        Path volume = Files.createDirectories(dir.resolve("volume"));
        Result result = run(secret, volume);
        assertNotEquals(0, result.exit());
        assertTrue(result.output().contains("Secret goldentooth-pki-ca has no key ca-password"), result.output());
        try (var listing = Files.list(volume)) {
            assertEquals(0, listing.count());
        }
    }

    private String stateMount() {
        return mountOf(pki.template().getSpec().getContainers().get(0), "state");
    }

    private static String mountOf(Container c, String volume) {
        return c.getVolumeMounts().stream().filter(m -> m.getName().equals(volume)).map(VolumeMount::getMountPath)
                .findFirst().orElseThrow(() -> new AssertionError(c.getName() + " does not mount " + volume));
    }

    /** A stand-in for the Secret's volume: each key a file, made group-readable as kubelet mounts it. */
    private Path secret() throws Exception {
        Path secret = Files.createDirectories(dir.resolve("secret"));
        for (String file : CA_FILES) {
            Files.writeString(secret.resolve(file), "content of " + file + "\n");
            Files.setPosixFilePermissions(secret.resolve(file), PosixFilePermissions.fromString("r--r-----"));
        }
        return secret;
    }

    record Result(int exit, String output) {
    }

    /** The init container's script, its two directories pointed at {@code secret} and {@code volume}. */
    private Result run(Path secret, Path volume) throws Exception {
        List<String> command = init.getCommand();
        assertEquals(3, command.size(), "/bin/sh -c SCRIPT");
        assertEquals(List.of("/bin/sh", "-c"), command.subList(0, 2));
        String script = command.get(2);
        String secretMount = init.getVolumeMounts().stream().filter(m -> !m.getName().equals("state"))
                .map(VolumeMount::getMountPath).findFirst().orElseThrow();
        String stateMount = mountOf(init, "state");
        assertEquals(stateMount(), stateMount, "the init container fills the volume the service reads");
        String srcLine = "src=" + secretMount + "\n";
        String dstLine = "dst=" + stateMount + "\n";
        assertTrue(script.contains(srcLine) && script.contains(dstLine), "the script reads and writes the mounted paths");
        for (String file : CA_FILES) {
            assertTrue(script.contains(" " + file) || script.contains("\"" + file), "the script copies " + file);
        }
        String local = script.replace(srcLine, "src=" + secret + "\n").replace(dstLine, "dst=" + volume + "\n");
        Process process = new ProcessBuilder("/bin/sh", "-c", local).redirectErrorStream(true).start();
        assertTrue(process.waitFor(30, TimeUnit.SECONDS), "the script did not finish");
        return new Result(process.exitValue(), new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
