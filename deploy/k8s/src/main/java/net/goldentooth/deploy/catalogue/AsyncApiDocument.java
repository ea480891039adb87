package net.goldentooth.deploy.catalogue;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.introspect.BeanPropertyDefinition;
import net.goldentooth.events.CloudEventHeaders;
import net.goldentooth.events.EventCodec;
import net.goldentooth.events.Topics;
import net.goldentooth.events.Topics.TopicSpec;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * docs/asyncapi.yaml (AsyncAPI 3.0) from the contract: one channel per topic of
 * {@link Topics#CATALOGUE} and its dead-letter twin with the Kafka binding it is created with, the
 * record key, the CloudEvents headers, and the payload schema of {@link EventCodec#TOPIC_TYPES} as the
 * codec's own mapper sees each record (property names, enum wire values, ISO-8601 instants). A topic
 * without a payload type or a key description, or a field of a type this generator cannot describe,
 * is an error naming it, so the document cannot fall behind the code.
 */
public final class AsyncApiDocument {

    /** What the record key of each topic is; producers key by it (DESIGN.md's topic table). */
    static final Map<String, String> KEYS = Map.ofEntries(
            Map.entry(Topics.NODE_FACTS, "node name"),
            Map.entry(Topics.JOB_REQUESTED, "job id"),
            Map.entry(Topics.JOB_TASKS, "node name; the partition is NodeRouting.partitionFor(node, 12)"),
            Map.entry(Topics.JOB_PROGRESS, "job id"),
            Map.entry(Topics.JOB_STATUS, "job id"),
            Map.entry(Topics.CERT_REQUESTED, "node name"),
            Map.entry(Topics.CERT_ISSUED, "<node>|<lineage>; the partition is set to NodeRouting.partitionFor(node, 12)"),
            Map.entry(Topics.CERT_RENEWED, "lineage (<node>/<name>)"),
            Map.entry(Topics.CERT_RENEWAL_FAILED, "lineage (<node>/<name>)"),
            Map.entry(Topics.CERT_EXPIRING, "lineage (<node>/<name>)"),
            Map.entry(Topics.PKI_TRUST, "bundle name (goldentooth)"),
            Map.entry(Topics.PKI_CLAIMS, "token:<tokenId> or request:<requestId>"),
            Map.entry(Topics.STORAGE_SNAPSHOTS, "dataset"),
            Map.entry(Topics.STORAGE_REPLICATION, "dataset->target"),
            Map.entry(Topics.STORAGE_CAPACITY, "node name"),
            Map.entry(Topics.STORAGE_SEAWEEDFS, "cluster name"),
            Map.entry(Topics.ALERT_STATE, "alert fingerprint (hash of its labels)"),
            Map.entry(Topics.PROBE_RESULTS, "probe target name"),
            Map.entry(Topics.NODE_CONDITIONS, "node name"),
            Map.entry(Topics.ALERT_SILENCES, "silence id"),
            Map.entry(Topics.NODE_HEARTBEAT, "node name (an agent's beat) or monitor instance (a monitor's)"),
            Map.entry(Topics.NODE_LOGS, "node name"),
            Map.entry(Topics.LEADERSHIP, "election group (one per service role: monitor-delivery, storage-planner)"));

    private static final String KAFKA_BINDING = "0.5.0";

    private final ObjectMapper codec = EventCodec.mapper();
    /** Schema name → schema, filled while describing payloads; sorted for a stable document. */
    private final Map<String, Object> schemas = new TreeMap<>();

    public static String render(List<TopicSpec> catalogue, Map<String, Class<?>> payloadTypes) {
        return new AsyncApiDocument().document(catalogue, payloadTypes);
    }

    private String document(List<TopicSpec> catalogue, Map<String, Class<?>> payloadTypes) {
        Map<String, Object> channels = new LinkedHashMap<>();
        Map<String, Object> messages = new LinkedHashMap<>();
        for (TopicSpec topic : catalogue) {
            Class<?> type = payloadTypes.get(topic.name());
            if (type == null) {
                throw new IllegalStateException("topic " + topic.name() + " has no payload type in EventCodec.TOPIC_TYPES");
            }
            String key = KEYS.get(topic.name());
            if (key == null) {
                throw new IllegalStateException("topic " + topic.name() + " has no key description in AsyncApiDocument.KEYS");
            }
            String messageId = topic.name();
            channels.put(topic.name(), channel(topic, messageId,
                    "Records of " + type.getSimpleName() + ", keyed by " + key + "."));
            messages.put(messageId, message(topic.name(), type, key));
            TopicSpec dlq = topic.dlq();
            channels.put(dlq.name(), channel(dlq, dlq.name(),
                    "Records of " + topic.name() + " its consumers could not handle, as received, with the reason."));
            messages.put(dlq.name(), deadLetterMessage(topic.name()));
        }
        Map<String, Object> components = new LinkedHashMap<>();
        components.put("messages", messages);
        components.put("schemas", schemas);

        Map<String, Object> info = new LinkedHashMap<>();
        info.put("title", "Goldentooth control plane topics");
        info.put("version", "1.0.0");
        info.put("description", "Every Kafka topic of the control plane. Payloads are JSON records of the events module; "
                + "metadata travels as CloudEvents binary-mode headers (ce_type net.goldentooth.<topic>.v1). "
                + "Each topic has a <topic>.dlq beside it for records its consumers could not handle.");
        Map<String, Object> servers = new LinkedHashMap<>();
        servers.put("local", server("127.0.0.1:9092", "kafka", "The embedded default of ./goldentooth up (PLAINTEXT, loopback)."));
        servers.put("cluster", server("goldentooth-kafka-bootstrap.goldentooth.svc:9093", "kafka-secure",
                "The Strimzi cluster of deploy/k8s (TLS listener)."));

        Map<String, Object> document = new LinkedHashMap<>();
        document.put("asyncapi", "3.0.0");
        document.put("info", info);
        document.put("defaultContentType", "application/json");
        document.put("servers", servers);
        document.put("channels", channels);
        document.put("components", components);
        try {
            return Generated.header("AsyncApiDocument", "Topics.CATALOGUE and EventCodec.TOPIC_TYPES")
                    + Generated.YAML.writeValueAsString(document);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the AsyncAPI document", e);
        }
    }

    private static Map<String, Object> server(String host, String protocol, String description) {
        Map<String, Object> server = new LinkedHashMap<>();
        server.put("host", host);
        server.put("protocol", protocol);
        server.put("description", description);
        return server;
    }

    private static Map<String, Object> channel(TopicSpec spec, String messageId, String description) {
        Map<String, Object> topicConfiguration = new LinkedHashMap<>();
        topicConfiguration.put("cleanup.policy", List.of(spec.compacted() ? "compact" : "delete"));
        topicConfiguration.put("retention.ms", spec.retentionMs());
        topicConfiguration.put("max.message.bytes", spec.maxMessageBytes());
        String retentionBytes = spec.extraConfigs().get(Topics.RETENTION_BYTES);
        if (retentionBytes != null) {
            topicConfiguration.put(Topics.RETENTION_BYTES, Long.parseLong(retentionBytes));
        }
        if (spec.logAppendTime()) {
            topicConfiguration.put(Topics.TIMESTAMP_TYPE, Topics.LOG_APPEND_TIME);
        }
        Map<String, Object> kafka = new LinkedHashMap<>();
        kafka.put("topic", spec.name());
        kafka.put("partitions", spec.partitions());
        kafka.put("replicas", KafkaTopicManifests.REPLICAS);
        kafka.put("topicConfiguration", topicConfiguration);
        kafka.put("bindingVersion", KAFKA_BINDING);
        Map<String, Object> channel = new LinkedHashMap<>();
        channel.put("address", spec.name());
        channel.put("description", description);
        channel.put("messages", ordered(messageId, ordered("$ref", "#/components/messages/" + messageId)));
        channel.put("bindings", ordered("kafka", kafka));
        return channel;
    }

    private Map<String, Object> message(String topic, Class<?> type, String key) {
        Map<String, Object> headers = new LinkedHashMap<>();
        headers.put("type", "object");
        Map<String, Object> properties = new LinkedHashMap<>();
        properties.put(CloudEventHeaders.SPEC_VERSION, ordered("type", "string", "const", "1.0"));
        properties.put(CloudEventHeaders.ID, ordered("type", "string", "description", "event id; handlers dedupe by it"));
        properties.put(CloudEventHeaders.TYPE, ordered("type", "string", "const", CloudEventHeaders.typeOf(topic)));
        properties.put(CloudEventHeaders.SOURCE, ordered("type", "string", "description", "e.g. //provisioner, //node-agent/<node>"));
        properties.put(CloudEventHeaders.TIME, ordered("type", "string", "format", "date-time"));
        properties.put(CloudEventHeaders.CONTENT_TYPE, ordered("type", "string", "const", "application/json"));
        headers.put("properties", properties);
        headers.put("required", List.copyOf(properties.keySet()));

        Map<String, Object> message = new LinkedHashMap<>();
        message.put("name", type.getSimpleName());
        message.put("contentType", "application/json");
        message.put("headers", headers);
        message.put("payload", describe(codec.constructType(type)));
        message.put("bindings", ordered("kafka", ordered(
                "key", ordered("type", "string", "description", key),
                "bindingVersion", KAFKA_BINDING)));
        return message;
    }

    private static Map<String, Object> deadLetterMessage(String topic) {
        Map<String, Object> headers = new LinkedHashMap<>();
        headers.put("type", "object");
        Map<String, Object> properties = new LinkedHashMap<>();
        properties.put(CloudEventHeaders.DLQ_ERROR, ordered("type", "string", "description", "why the record was not handled"));
        properties.put(CloudEventHeaders.DLQ_TOPIC, ordered("type", "string", "const", topic));
        properties.put(CloudEventHeaders.DLQ_PARTITION, ordered("type", "string", "description", "partition it was read from"));
        properties.put(CloudEventHeaders.DLQ_OFFSET, ordered("type", "string", "description", "offset it was read from"));
        headers.put("properties", properties);
        headers.put("required", List.copyOf(properties.keySet()));
        Map<String, Object> message = new LinkedHashMap<>();
        message.put("name", "DeadLetter");
        message.put("summary", "The original key, value and headers of a record of " + topic + ", plus the dlq_ headers.");
        message.put("headers", headers);
        message.put("payload", ordered("description", "the original bytes, possibly not JSON"));
        return message;
    }

    /** The JSON schema of {@code type} as the codec writes it; records become components. */
    private Object describe(JavaType type) {
        Class<?> raw = type.getRawClass();
        if (raw == String.class || raw == char.class || raw == Character.class) {
            return ordered("type", "string");
        }
        if (raw == boolean.class || raw == Boolean.class) {
            return ordered("type", "boolean");
        }
        if (raw == int.class || raw == Integer.class || raw == short.class || raw == Short.class) {
            return ordered("type", "integer", "format", "int32");
        }
        if (raw == long.class || raw == Long.class) {
            return ordered("type", "integer", "format", "int64");
        }
        if (raw == double.class || raw == Double.class || raw == float.class || raw == Float.class) {
            return ordered("type", "number");
        }
        if (raw == Instant.class) {
            return ordered("type", "string", "format", "date-time");
        }
        if (raw == byte[].class) {
            return ordered("type", "string", "contentEncoding", "base64");
        }
        if (raw == JsonNode.class || raw == Object.class) {
            return ordered("description", "any JSON value");
        }
        if (raw.isEnum()) {
            return ordered("type", "string", "enum", wireNames(raw));
        }
        if (type.isCollectionLikeType() || type.isArrayType()) {
            return ordered("type", "array", "items", describe(type.getContentType()));
        }
        if (type.isMapLikeType()) {
            if (type.getKeyType().getRawClass() != String.class && !type.getKeyType().isEnumType()) {
                throw new IllegalStateException("map key " + type.getKeyType() + " cannot be described");
            }
            return ordered("type", "object", "additionalProperties", describe(type.getContentType()));
        }
        if (raw == java.util.Optional.class) {
            return describe(type.containedType(0));
        }
        if (raw.isRecord()) {
            return ordered("$ref", "#/components/schemas/" + component(type));
        }
        throw new IllegalStateException("cannot describe " + type + " in the AsyncAPI document; teach AsyncApiDocument.describe");
    }

    private String component(JavaType type) {
        String name = type.getRawClass().getSimpleName();
        if (schemas.containsKey(name)) {
            return name;
        }
        schemas.put(name, ordered());  // reserves the name: a record may refer to itself
        BeanDescription bean = codec.getSerializationConfig().introspect(type);
        Map<String, Object> properties = new LinkedHashMap<>();
        List<String> required = new ArrayList<>();
        for (BeanPropertyDefinition property : bean.findProperties()) {
            if (!property.couldSerialize()) {
                continue;
            }
            properties.put(property.getName(), describe(property.getPrimaryType()));
            if (property.getPrimaryType().isPrimitive()) {
                required.add(property.getName());
            }
        }
        Map<String, Object> schema = new LinkedHashMap<>();
        schema.put("type", "object");
        schema.put("x-java-type", type.getRawClass().getName());
        schema.put("properties", properties);
        if (!required.isEmpty()) {
            schema.put("required", required);
        }
        schemas.put(name, schema);
        return name;
    }

    private List<String> wireNames(Class<?> enumType) {
        List<String> names = new ArrayList<>();
        for (Object constant : enumType.getEnumConstants()) {
            names.add(codec.convertValue(constant, String.class));
        }
        return names;
    }

    /** A map that keeps the order given: Map.of iterates in an order that changes from run to run. */
    private static Map<String, Object> ordered(Object... keysAndValues) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return map;
    }

    private AsyncApiDocument() {
    }
}
