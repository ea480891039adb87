package net.goldentooth.architecture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** Every Quarkus service logs in the one format, and that format prints the MDC ({@code %X}). */
class OneLogFormatTest {

    private static final String FORMAT = "quarkus.log.console.format";

    @Test
    void everyServiceLogsTheSameFormatWithItsMdc() throws IOException {
        Codebase codebase = Codebase.ofThisBuild();
        Path root = Path.of(System.getProperty("goldentooth.root"));
        Map<String, String> formats = new TreeMap<>();
        for (String module : codebase.modules()) {
            Path file = root.resolve(module).resolve("src/main/resources/application.properties");
            if (!Files.isRegularFile(file)) {
                continue;
            }
            Properties properties = new Properties();
            try (Reader reader = Files.newBufferedReader(file)) {
                properties.load(reader);
            }
            if (properties.getProperty("quarkus.application.name") != null) {
                formats.put(module, properties.getProperty(FORMAT, "(none: Quarkus's default, without %X)"));
            }
        }
        assertFalse(formats.isEmpty(), "no Quarkus service found");
        String first = formats.values().iterator().next();
        assertTrue(first.contains("%X"), "the log format does not print the MDC: " + formats);
        formats.forEach((module, format) -> assertEquals(first, format, module + " logs in another format: " + formats));
    }
}
