package net.goldentooth.cli.client;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * The bearer token every request carries (docs/security.md): {@code --token}, else
 * {@code $GOLDENTOOTH_TOKEN}, else the file {@code $GOLDENTOOTH_TOKEN_FILE}, else the admin token
 * {@code ./goldentooth up} wrote into its state directory ({@code $GOLDENTOOTH_STATE}, else
 * {@code $GOLDENTOOTH_HOME/.goldentooth}). With none of them requests go without one, and a
 * service that requires one answers 401. The token is never printed.
 */
public final class Credentials {

    public static final String ENV = "GOLDENTOOTH_TOKEN";
    public static final String FILE_ENV = "GOLDENTOOTH_TOKEN_FILE";
    /** The file name of the embedded default's admin token inside its state directory. */
    public static final String STATE_FILE = "admin-token";

    private static final Credentials NONE = new Credentials(null);

    private final String token;

    private Credentials(String token) {
        this.token = token;
    }

    public static Credentials none() {
        return NONE;
    }

    /** @throws IllegalArgumentException when {@code $GOLDENTOOTH_TOKEN_FILE} names a file that cannot be read */
    public static Credentials resolve(String option, Map<String, String> env) {
        if (option != null && !option.isBlank()) {
            return new Credentials(option.strip());
        }
        if (present(env.get(ENV))) {
            return new Credentials(env.get(ENV).strip());
        }
        if (present(env.get(FILE_ENV))) {
            return read(Path.of(env.get(FILE_ENV))).orElseThrow(() -> new IllegalArgumentException(
                    FILE_ENV + " " + env.get(FILE_ENV) + " cannot be read or is empty"));
        }
        Path state = present(env.get("GOLDENTOOTH_STATE")) ? Path.of(env.get("GOLDENTOOTH_STATE"))
                : present(env.get("GOLDENTOOTH_HOME")) ? Path.of(env.get("GOLDENTOOTH_HOME"), ".goldentooth") : null;
        return state == null ? NONE : read(state.resolve(STATE_FILE)).orElse(NONE);
    }

    /** A request to {@code uri} with the {@code Authorization} header when there is a token. */
    public HttpRequest.Builder request(URI uri) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(uri);
        return token == null ? builder : builder.header("Authorization", "Bearer " + token);
    }

    public boolean present() {
        return token != null;
    }

    private static Optional<Credentials> read(Path file) {
        try {
            String text = Files.readString(file, StandardCharsets.UTF_8).strip();
            return text.isEmpty() ? Optional.empty() : Optional.of(new Credentials(text));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static boolean present(String value) {
        return value != null && !value.isBlank();
    }

    @Override
    public String toString() {
        return token == null ? "no token" : "a bearer token";
    }
}
