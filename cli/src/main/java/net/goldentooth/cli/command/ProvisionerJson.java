package net.goldentooth.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import net.goldentooth.events.EventCodec;

/** {@code --json} output: the provisioner's JSON as it came, indented. */
final class ProvisionerJson {

    static String pretty(JsonNode tree) {
        try {
            return EventCodec.mapper().writer().with(SerializationFeature.INDENT_OUTPUT).writeValueAsString(tree);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot print JSON", e);
        }
    }

    private ProvisionerJson() {
    }
}
