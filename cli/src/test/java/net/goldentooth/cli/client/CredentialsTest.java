package net.goldentooth.cli.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CredentialsTest {

    private static final URI URI_ = URI.create("http://127.0.0.1:8081/jobs");

    private static Optional<String> header(Credentials credentials) {
        return credentials.request(URI_).GET().build().headers().firstValue("Authorization");
    }

    @Test
    void theOptionWinsOverTheEnvironmentWhichWinsOverTheStateDirectory(@TempDir Path state) throws Exception {
        Files.writeString(state.resolve("admin-token"), "from-state\n");
        Map<String, String> env = Map.of("GOLDENTOOTH_TOKEN", "from-env", "GOLDENTOOTH_STATE", state.toString());
        assertEquals(Optional.of("Bearer from-option"), header(Credentials.resolve("from-option", env)));
        assertEquals(Optional.of("Bearer from-env"), header(Credentials.resolve(null, env)));
        assertEquals(Optional.of("Bearer from-state"),
                header(Credentials.resolve(null, Map.of("GOLDENTOOTH_STATE", state.toString()))));
    }

    @Test
    void theCheckoutsStateDirectoryIsTheDefault(@TempDir Path home) throws Exception {
        Files.createDirectories(home.resolve(".goldentooth"));
        Files.writeString(home.resolve(".goldentooth/admin-token"), "local-admin");
        assertEquals(Optional.of("Bearer local-admin"),
                header(Credentials.resolve(null, Map.of("GOLDENTOOTH_HOME", home.toString()))));
    }

    @Test
    void withoutAnyTokenRequestsGoWithoutTheHeader(@TempDir Path empty) {
        assertFalse(header(Credentials.resolve(null, Map.of("GOLDENTOOTH_STATE", empty.toString()))).isPresent());
        assertFalse(header(Credentials.resolve(null, Map.of())).isPresent());
        assertEquals("a bearer token", Credentials.resolve("secret", Map.of()).toString(), "never the token itself");
    }

    @Test
    void anUnreadableTokenFileIsNamed(@TempDir Path dir) {
        Map<String, String> env = Map.of("GOLDENTOOTH_TOKEN_FILE", dir.resolve("missing").toString());
        assertEquals("GOLDENTOOTH_TOKEN_FILE " + dir.resolve("missing") + " cannot be read or is empty",
                assertThrows(IllegalArgumentException.class, () -> Credentials.resolve(null, env)).getMessage());
    }
}
