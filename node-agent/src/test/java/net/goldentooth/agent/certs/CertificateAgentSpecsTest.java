package net.goldentooth.agent.certs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import net.goldentooth.agent.certs.config.CertsConfig;
import net.goldentooth.agent.certs.renewal.LineageSpec;
import net.goldentooth.agent.certs.ssh.SshCertificateSpec;
import net.goldentooth.agent.config.AgentConfig;
import net.goldentooth.events.cert.CertKind;
import org.junit.jupiter.api.Test;

/** Sample configurations of managed certificates: each must resolve as documented, or fail naming its key. */
class CertificateAgentSpecsTest {

    private static final Path STATE = Path.of("/var/lib/goldentooth/agent");

    @Test
    void aMinimalCertificateGetsTheDocumentedDefaultsAndTheCanaryComesLast() {
        List<LineageSpec> specs = specs(Map.of(
                "goldentooth.agent.certificates.consul.cert-path", "/etc/consul.d/tls/cert.pem",
                "goldentooth.agent.certificates.consul.key-path", "/etc/consul.d/tls/key.pem"));

        assertEquals(2, specs.size());
        LineageSpec consul = specs.get(0);
        assertEquals("bettley/consul", consul.lineage());
        assertEquals("consul", consul.service());
        assertEquals(List.of("bettley", "bettley.nodes.goldentooth.net"), consul.names());
        assertEquals(Duration.ofHours(24), consul.lifetime());
        assertEquals(Optional.of("systemctl try-reload-or-restart consul"), consul.reloadCommand());
        assertEquals(PosixFilePermissions.fromString("rw-r-----"), consul.keySpec().permissions());
        assertEquals(PosixFilePermissions.fromString("rw-r--r--"), consul.certSpec().permissions());
        assertEquals(Optional.empty(), consul.chainPath());
        assertEquals(Optional.empty(), consul.probe());

        LineageSpec canary = specs.get(1);
        assertEquals("bettley/canary", canary.lineage());
        assertEquals(Duration.ofMinutes(15), canary.lifetime());
        assertEquals(STATE.resolve("certs/canary/cert.pem"), canary.certPath());
        assertEquals(List.of("bettley"), canary.names());
        assertEquals(Optional.empty(), canary.reloadCommand());
    }

    @Test
    void everyKeyIsRead() {
        LineageSpec vault = specs(Map.ofEntries(
                Map.entry("goldentooth.agent.canary.enabled", "false"),
                Map.entry("goldentooth.agent.certificates.vault-tls.service", "vault"),
                Map.entry("goldentooth.agent.certificates.vault-tls.cert-path", "/opt/vault/tls/tls.crt"),
                Map.entry("goldentooth.agent.certificates.vault-tls.key-path", "/opt/vault/tls/tls.key"),
                Map.entry("goldentooth.agent.certificates.vault-tls.chain-path", "/opt/vault/tls/ca.crt"),
                Map.entry("goldentooth.agent.certificates.vault-tls.owner", "vault"),
                Map.entry("goldentooth.agent.certificates.vault-tls.group", "vault"),
                Map.entry("goldentooth.agent.certificates.vault-tls.key-mode", "0600"),
                Map.entry("goldentooth.agent.certificates.vault-tls.cert-mode", "0640"),
                Map.entry("goldentooth.agent.certificates.vault-tls.names", "vault.service.consul,bettley,10.4.0.11"),
                Map.entry("goldentooth.agent.certificates.vault-tls.lifetime", "72h"),
                Map.entry("goldentooth.agent.certificates.vault-tls.reload-command", "systemctl reload vault"),
                Map.entry("goldentooth.agent.certificates.vault-tls.probe-endpoint", "127.0.0.1:8200"))).get(0);

        assertEquals("bettley/vault-tls", vault.lineage());
        assertEquals("vault", vault.service());
        assertEquals(Optional.of(Path.of("/opt/vault/tls/ca.crt")), vault.chainPath());
        assertEquals(Optional.of("vault"), vault.keySpec().owner());
        assertEquals(Optional.of("vault"), vault.certSpec().group());
        assertEquals(PosixFilePermissions.fromString("rw-------"), vault.keySpec().permissions());
        assertEquals(PosixFilePermissions.fromString("rw-r-----"), vault.certSpec().permissions());
        assertEquals(List.of("vault.service.consul", "bettley", "10.4.0.11"), vault.names());
        assertEquals(Duration.ofHours(72), vault.lifetime());
        assertEquals(Optional.of("systemctl reload vault"), vault.reloadCommand());
        assertEquals(Optional.of(new LineageSpec.Endpoint("127.0.0.1", 8200)), vault.probe());
    }

    @Test
    void reloadCommandNoneRunsNothing() {
        LineageSpec spec = specs(Map.of(
                "goldentooth.agent.certificates.web.cert-path", "/c", "goldentooth.agent.certificates.web.key-path", "/k",
                "goldentooth.agent.certificates.web.reload-command", "none")).get(0);

        assertEquals(Optional.empty(), spec.reloadCommand());
    }

    @Test
    void invalidSamplesFailNamingTheirKey() {
        assertFailsNaming("goldentooth.agent.certificates.web.key-mode", Map.of(
                "goldentooth.agent.certificates.web.cert-path", "/c", "goldentooth.agent.certificates.web.key-path", "/k",
                "goldentooth.agent.certificates.web.key-mode", "0999"));
        assertFailsNaming("goldentooth.agent.certificates.web.probe-endpoint", Map.of(
                "goldentooth.agent.certificates.web.cert-path", "/c", "goldentooth.agent.certificates.web.key-path", "/k",
                "goldentooth.agent.certificates.web.probe-endpoint", "localhost"));
        assertFailsNaming("goldentooth.agent.certificates.web.lifetime", Map.of(
                "goldentooth.agent.certificates.web.cert-path", "/c", "goldentooth.agent.certificates.web.key-path", "/k",
                "goldentooth.agent.certificates.web.lifetime", "0s"));
        assertFailsNaming("goldentooth.agent.certificates.canary", Map.of(
                "goldentooth.agent.certificates.canary.cert-path", "/c",
                "goldentooth.agent.certificates.canary.key-path", "/k"));
    }

    @Test
    void theRootUserCertificateIsOffByDefaultAndKeptInTheStateDirectory() {
        assertEquals(Optional.empty(), sshRoot(Map.of(), true));

        SshCertificateSpec root = sshRoot(Map.of("goldentooth.agent.ssh-root.enabled", "true",
                "goldentooth.agent.state-dir", "/srv/agent"), true).orElseThrow();

        assertEquals("bettley/ssh-root", root.lineage());
        assertEquals(CertKind.SSH_USER, root.kind());
        assertEquals(Path.of("/srv/agent/ssh/root_ed25519-cert.pub"), root.certificatePath());
        assertEquals(Duration.ofHours(24), root.lifetime());
        assertEquals(Optional.empty(), root.sshdConfig());
        assertEquals(Optional.empty(), root.reloadCommand());
        assertEquals(Path.of("/var/lib/goldentooth/agent/ssh/root_ed25519-cert.pub"),
                sshRoot(Map.of("goldentooth.agent.ssh-root.enabled", "true"), true).orElseThrow().certificatePath(),
                "state-dir's default");
        assertEquals(Path.of("/root/.ssh/id_goldentooth-cert.pub"), sshRoot(Map.of(
                "goldentooth.agent.ssh-root.enabled", "true",
                "goldentooth.agent.ssh-root.key-path", "/root/.ssh/id_goldentooth",
                "goldentooth.agent.ssh-root.lifetime", "12h"), true).orElseThrow().certificatePath());
    }

    @Test
    void theRootUserCertificateNeedsAllowRootAndAUsableKeyPath() {
        IllegalArgumentException noRoot = assertThrows(IllegalArgumentException.class,
                () -> sshRoot(Map.of("goldentooth.agent.ssh-root.enabled", "true"), false));
        assertTrue(noRoot.getMessage().startsWith(
                "goldentooth.agent.ssh-root.enabled needs goldentooth.agent.allow-root=true"), noRoot.getMessage());
        assertEquals(Optional.empty(), sshRoot(Map.of(), false), "off, it needs nothing");

        for (String path : List.of("ssh/root_ed25519", "/srv/agent/ssh/root_ed25519.pub")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> sshRoot(Map.of(
                    "goldentooth.agent.ssh-root.enabled", "true", "goldentooth.agent.ssh-root.key-path", path), true));
            assertTrue(e.getMessage().startsWith("goldentooth.agent.ssh-root.key-path"), e.getMessage());
        }
        IllegalArgumentException lifetime = assertThrows(IllegalArgumentException.class, () -> sshRoot(Map.of(
                "goldentooth.agent.ssh-root.enabled", "true", "goldentooth.agent.ssh-root.lifetime", "0s"), true));
        assertTrue(lifetime.getMessage().startsWith("goldentooth.agent.ssh-root.lifetime"), lifetime.getMessage());
    }

    private static Optional<SshCertificateSpec> sshRoot(Map<String, String> properties, boolean allowRoot) {
        return CertificateAgent.sshRoot("bettley", config(properties).sshRoot(), allowRoot);
    }

    private static void assertFailsNaming(String key, Map<String, String> properties) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> specs(properties));
        assertTrue(e.getMessage().startsWith(key), e.getMessage());
    }

    private static List<LineageSpec> specs(Map<String, String> properties) {
        return CertificateAgent.specs("bettley", config(properties), STATE);
    }

    private static CertsConfig config(Map<String, String> properties) {
        SmallRyeConfig config = new SmallRyeConfigBuilder()
                .withMapping(CertsConfig.class)
                // The agent's own keys (state-dir, in the ssh-root key's default) and Quarkus's
                // expansion of ${...} in values, as the running agent reads them.
                .withMapping(AgentConfig.class)
                .addDefaultInterceptors()
                // Quarkus's short durations ("15m"), as the running agent reads them.
                .withConverter(Duration.class, 200, new DurationConverter())
                .withSources(new PropertiesConfigSource(properties, "sample", 100))
                .build();
        return config.getConfigMapping(CertsConfig.class);
    }
}
