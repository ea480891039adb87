package net.goldentooth.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import net.goldentooth.events.CloudEventHeaders;
import net.goldentooth.events.EventCodec;
import net.goldentooth.events.PoisonMessageException;

/**
 * Hostile records for one topic, derived from a valid template of the topic's event (the golden
 * sample of {@code events}): truncated JSON, a field of the wrong type, huge strings, random bytes
 * and text, JSON of another shape, absurd nesting, null and empty values, null keys, an unknown or
 * a foreign CloudEvents type, an empty {@code ce_type}. Seeded, so a failing run can be repeated.
 *
 * <p>Whether a record is poison is decided by the contract itself ({@link EventCodec#decodeFromTopic}),
 * not guessed by the generator: {@link Poison#undecodable()} says whether every consumer must
 * dead-letter it. The rest decode into nonsense events the services must survive.
 */
final class PoisonGenerator {

    /** Header carried into the dead letter (consumers copy the original headers), to find each record there. */
    static final String ID_HEADER = "e2e_poison_id";

    /** How a record was made; each is a different way for a consumer to choke. */
    enum Mutation {
        TRUNCATED, WRONG_TYPE, HUGE_STRING, RANDOM_BYTES, RANDOM_TEXT, OTHER_SHAPE, DEEP_NESTING, EMPTY_VALUE,
        NULL_VALUE, JSON_NULL, UNKNOWN_CE_TYPE, FOREIGN_CE_TYPE, EMPTY_CE_TYPE, NULL_KEY
    }

    /**
     * One hostile record.
     *
     * @param partition   null to let the producer choose
     * @param undecodable the contract's codec refuses it, so every consumer of the topic must dead-letter it
     */
    record Poison(String id, String topic, Integer partition, String key, byte[] value, Map<String, byte[]> headers,
                  Mutation mutation, boolean undecodable) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String[] OTHER_SHAPES = {
        "[]", "[1,2,3]", "\"just a string\"", "42", "true", "{\"unexpected\":{\"nested\":[null]}}", "{}",
        "{\"node\":{},\"collectedAt\":[]}", "{\"kind\":\"no-such-kind\"}",
    };

    private final Random random;
    private final Map<String, Class<?>> types;
    private final Map<String, byte[]> templates = new LinkedHashMap<>();
    private long counter;

    /** @param types the event type of every topic this generator writes to */
    PoisonGenerator(long seed, Map<String, Class<?>> types) {
        this.random = new Random(seed);
        this.types = Map.copyOf(types);
    }

    /** Uses {@code template} (a valid encoded event) as the base of the topic's mutations. */
    PoisonGenerator template(String topic, byte[] template) {
        templates.put(topic, template);
        return this;
    }

    /** The golden sample of {@code topic} in {@code events/src/test/resources/golden}, as the template. */
    PoisonGenerator goldenTemplate(Path projectRoot, String topic) {
        try {
            return template(topic, Files.readAllBytes(projectRoot.resolve("events/src/test/resources/golden")
                    .resolve(topic + ".json")));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * {@code count} hostile records for {@code topic}, all with {@code key} (and {@code partition})
     * unless a mutation drops the key; {@code allowNullKey} false keeps every key (for consumers that
     * filter on it, such as an agent's {@code job.tasks}).
     */
    List<Poison> generate(String topic, int count, String key, Integer partition, boolean allowNullKey) {
        List<Poison> out = new ArrayList<>(count);
        Mutation[] mutations = Mutation.values();
        for (int i = 0; i < count; i++) {
            Mutation mutation = mutations[random.nextInt(mutations.length)];
            if (mutation == Mutation.NULL_KEY && !allowNullKey) {
                mutation = Mutation.TRUNCATED;
            }
            // Huge payloads are a handful, not thousands: they test size limits, not disk space.
            if (mutation == Mutation.HUGE_STRING && random.nextInt(8) != 0) {
                mutation = Mutation.WRONG_TYPE;
            }
            out.add(make(topic, key, partition, mutation));
        }
        return out;
    }

    private Poison make(String topic, String key, Integer partition, Mutation mutation) {
        byte[] template = templates.get(topic);
        if (template == null) {
            throw new IllegalStateException("no template for " + topic);
        }
        String id = "p" + (counter++);
        Map<String, byte[]> headers = new LinkedHashMap<>();
        headers.put(ID_HEADER, id.getBytes(StandardCharsets.UTF_8));
        String ceType = CloudEventHeaders.typeOf(topic);
        String recordKey = key;
        byte[] value;
        switch (mutation) {
            case UNKNOWN_CE_TYPE -> {
                value = template;
                ceType = "net.goldentooth.e2e-unknown-" + random.nextInt(1000) + ".v1";
            }
            case FOREIGN_CE_TYPE -> {
                value = template;
                ceType = topic.equals("node.facts") ? CloudEventHeaders.typeOf("job.progress")
                        : CloudEventHeaders.typeOf("node.facts");
            }
            case EMPTY_CE_TYPE -> {
                value = truncate(template);
                ceType = "";
            }
            case NULL_KEY -> {
                value = truncate(template);
                recordKey = null;
            }
            default -> value = body(mutation, template);
        }
        headers.put(CloudEventHeaders.TYPE, ceType.getBytes(StandardCharsets.UTF_8));
        headers.put(CloudEventHeaders.ID, id.getBytes(StandardCharsets.UTF_8));
        headers.put(CloudEventHeaders.SOURCE, "//e2e-poison".getBytes(StandardCharsets.UTF_8));
        return new Poison(id, topic, partition, recordKey, value, headers, mutation,
                undecodable(topic, ceType, value));
    }

    /**
     * A hostile body made from {@code template} (a valid JSON document) by one of the payload
     * mutations, for REST endpoints as much as for topics; null for {@link Mutation#NULL_VALUE}.
     */
    byte[] mutatedBody(byte[] template) {
        Mutation[] payloadMutations = {Mutation.TRUNCATED, Mutation.WRONG_TYPE, Mutation.WRONG_TYPE,
            Mutation.HUGE_STRING, Mutation.RANDOM_BYTES, Mutation.RANDOM_TEXT, Mutation.OTHER_SHAPE,
            Mutation.DEEP_NESTING, Mutation.EMPTY_VALUE, Mutation.JSON_NULL};
        Mutation mutation = payloadMutations[random.nextInt(payloadMutations.length)];
        if (mutation == Mutation.HUGE_STRING && random.nextInt(8) != 0) {
            mutation = Mutation.TRUNCATED;
        }
        return body(mutation, template);
    }

    /** A string of printable and hostile characters, for path and query parameters. */
    String hostileText(int length) {
        return randomText(length);
    }

    private byte[] body(Mutation mutation, byte[] template) {
        return switch (mutation) {
            case TRUNCATED -> truncate(template);
            case WRONG_TYPE -> wrongType(template);
            case HUGE_STRING -> hugeString(template);
            case RANDOM_BYTES -> {
                byte[] bytes = new byte[1 + random.nextInt(512)];
                random.nextBytes(bytes);
                yield bytes;
            }
            case RANDOM_TEXT -> randomText(1 + random.nextInt(300)).getBytes(StandardCharsets.UTF_8);
            case OTHER_SHAPE -> OTHER_SHAPES[random.nextInt(OTHER_SHAPES.length)].getBytes(StandardCharsets.UTF_8);
            case DEEP_NESTING -> ("[".repeat(5000) + "]".repeat(5000)).getBytes(StandardCharsets.UTF_8);
            case EMPTY_VALUE -> new byte[0];
            case NULL_VALUE -> null;
            case JSON_NULL -> "null".getBytes(StandardCharsets.UTF_8);
            default -> throw new IllegalArgumentException(mutation + " is not a payload mutation");
        };
    }

    private boolean undecodable(String topic, String ceType, byte[] value) {
        try {
            EventCodec.decodeFromTopic(topic, ceType, value, types.get(topic));
            return false;
        } catch (PoisonMessageException e) {
            return true;
        }
    }

    private byte[] truncate(byte[] template) {
        int cut = 1 + random.nextInt(Math.max(1, template.length - 2));
        byte[] out = new byte[cut];
        System.arraycopy(template, 0, out, 0, cut);
        return out;
    }

    private byte[] wrongType(byte[] template) {
        JsonNode tree = parse(template);
        List<ObjectNode> parents = new ArrayList<>();
        List<String> fields = new ArrayList<>();
        collectFields(tree, parents, fields);
        if (fields.isEmpty()) {
            return truncate(template);
        }
        int pick = random.nextInt(fields.size());
        ObjectNode parent = parents.get(pick);
        String field = fields.get(pick);
        parent.set(field, otherType(parent.get(field)));
        return write(tree);
    }

    private byte[] hugeString(byte[] template) {
        JsonNode tree = parse(template);
        List<ObjectNode> parents = new ArrayList<>();
        List<String> fields = new ArrayList<>();
        collectFields(tree, parents, fields);
        String huge = randomText(64 * 1024 + random.nextInt(448 * 1024));
        if (fields.isEmpty() || !(tree instanceof ObjectNode)) {
            return ("{\"huge\":\"" + huge + "\"}").getBytes(StandardCharsets.UTF_8);
        }
        int pick = random.nextInt(fields.size());
        parents.get(pick).put(fields.get(pick), huge);
        return write(tree);
    }

    private JsonNode otherType(JsonNode original) {
        JsonNodeFactory f = JsonNodeFactory.instance;
        List<JsonNode> choices = new ArrayList<>(List.of(
                f.objectNode().put("wrong", random.nextInt()),
                f.arrayNode().add(random.nextInt()).add("x"),
                f.booleanNode(random.nextBoolean()),
                f.numberNode(random.nextLong()),
                f.numberNode(-1.5e300),
                f.textNode(randomText(1 + random.nextInt(40)))));
        choices.removeIf(c -> original != null && c.getNodeType() == original.getNodeType());
        return choices.get(random.nextInt(choices.size()));
    }

    private static void collectFields(JsonNode node, List<ObjectNode> parents, List<String> fields) {
        if (node instanceof ObjectNode object) {
            for (Iterator<String> names = object.fieldNames(); names.hasNext(); ) {
                String name = names.next();
                parents.add(object);
                fields.add(name);
                collectFields(object.get(name), parents, fields);
            }
        } else if (node != null && node.isArray()) {
            node.forEach(child -> collectFields(child, parents, fields));
        }
    }

    /** Printable text with JSON's special characters, quotes and control characters mixed in. */
    private String randomText(int length) {
        String alphabet = "abcdefghijklmnopqrstuvwxyz0123456789{}[]\":,\\ \t\n\u0000\u00e9\u2603";
        StringBuilder s = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            s.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return s.toString();
    }

    private static JsonNode parse(byte[] template) {
        try {
            return JSON.readTree(template);
        } catch (IOException e) {
            throw new IllegalArgumentException("template is not JSON", e);
        }
    }

    private static byte[] write(JsonNode tree) {
        try {
            return JSON.writeValueAsBytes(tree);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
