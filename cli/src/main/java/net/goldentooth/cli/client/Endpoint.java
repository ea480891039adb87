package net.goldentooth.cli.client;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Map;

/** Where the provisioner's REST API is: {@code --provisioner}, else the environment, else local. */
public final class Endpoint {

    /** The environment variable consulted when {@code --provisioner} is not given. */
    public static final String ENV = "GOLDENTOOTH_PROVISIONER";
    /** The embedded default's provisioner ({@code ./goldentooth up}). */
    public static final String DEFAULT = "http://127.0.0.1:8081";

    /**
     * @throws IllegalArgumentException naming the source of a value that is not an http(s) URL
     */
    public static URI resolve(String option, Map<String, String> env) {
        return resolve(option, "--provisioner", ENV, DEFAULT, env);
    }

    /**
     * The same rule for another service's API: the option, else the environment variable, else
     * the embedded default (e.g. {@code --monitor}, {@code GOLDENTOOTH_MONITOR}, port 8084).
     */
    public static URI resolve(String option, String optionName, String envName, String defaultUrl,
                              Map<String, String> env) {
        String source;
        String value;
        if (option != null) {
            source = optionName;
            value = option;
        } else if (env.get(envName) != null && !env.get(envName).isBlank()) {
            source = envName;
            value = env.get(envName);
        } else {
            source = "the default";
            value = defaultUrl;
        }
        String trimmed = value.strip();
        while (trimmed.endsWith("/")) {
            trimmed = trimmed.substring(0, trimmed.length() - 1);
        }
        try {
            URI uri = new URI(trimmed);
            String scheme = uri.getScheme();
            if (scheme == null || !(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null
                    || uri.getQuery() != null || uri.getFragment() != null) {
                throw new IllegalArgumentException(source + " '" + value
                        + "' is not an http(s) URL like " + defaultUrl);
            }
            return uri;
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException(source + " '" + value + "' is not a URL: " + e.getReason(), e);
        }
    }

    private Endpoint() {
    }
}
