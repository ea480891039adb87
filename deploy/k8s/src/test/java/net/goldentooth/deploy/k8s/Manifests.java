package net.goldentooth.deploy.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** Every YAML document under deploy/k8s, parsed by the fabric8 model (typed where fabric8 has the kind). */
final class Manifests {

    static final Path ROOT = Path.of(System.getProperty("goldentooth.root", "../.."));
    static final Path K8S = ROOT.resolve("deploy/k8s");
    static final Path MANIFESTS = K8S.resolve("manifests");
    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final KubernetesSerialization FABRIC8 = new KubernetesSerialization();

    /** One parsed document and the file it came from. */
    record Doc(Path file, HasMetadata resource) {
    }

    /** Every document of every .yaml file under manifests/ except the kustomization and the inventory copy. */
    static List<Doc> all() {
        List<Doc> docs = new ArrayList<>();
        for (Path file : resourceFiles()) {
            docs.addAll(parse(file));
        }
        return docs;
    }

    static List<Path> resourceFiles() {
        try (Stream<Path> files = Files.walk(MANIFESTS)) {
            return files.filter(f -> f.toString().endsWith(".yaml"))
                    .filter(f -> !f.getFileName().toString().equals("kustomization.yaml"))
                    .filter(f -> !f.startsWith(MANIFESTS.resolve("inventory")))
                    .sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<Doc> parse(Path file) {
        List<Doc> docs = new ArrayList<>();
        try (var parser = YAML.getFactory().createParser(file.toFile())) {
            for (JsonNode node : YAML.readValues(parser, JsonNode.class).readAll()) {
                if (node == null || node.isNull() || node.isEmpty()) {
                    continue;
                }
                Object parsed = FABRIC8.unmarshal(YAML.writeValueAsString(node));
                if (!(parsed instanceof HasMetadata resource)) {
                    throw new AssertionError(file + ": not a Kubernetes resource: " + node);
                }
                docs.add(new Doc(file, resource));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(file + " does not parse", e);
        }
        return docs;
    }

    /**
     * A Deployment or a StatefulSet, seen through what both have: its name, replicas, selector and
     * pod template, and (a StatefulSet's only) the claims each pod gets a volume of its own from.
     */
    record Workload(HasMetadata resource, String name, Integer replicas, LabelSelector selector, PodTemplateSpec template,
            List<PersistentVolumeClaim> claimTemplates) {
    }

    /** Every Deployment and StatefulSet, in file order. */
    static List<Workload> workloads(List<Doc> docs) {
        List<Workload> workloads = new ArrayList<>();
        for (Doc doc : docs) {
            if (doc.resource() instanceof Deployment d) {
                workloads.add(new Workload(d, d.getMetadata().getName(), d.getSpec().getReplicas(), d.getSpec().getSelector(),
                        d.getSpec().getTemplate(), List.of()));
            } else if (doc.resource() instanceof StatefulSet s) {
                workloads.add(new Workload(s, s.getMetadata().getName(), s.getSpec().getReplicas(), s.getSpec().getSelector(),
                        s.getSpec().getTemplate(), s.getSpec().getVolumeClaimTemplates() == null ? List.of()
                                : s.getSpec().getVolumeClaimTemplates()));
            }
        }
        return workloads;
    }

    static <T extends HasMetadata> List<T> ofType(List<Doc> docs, Class<T> type) {
        return docs.stream().map(Doc::resource).filter(type::isInstance).map(type::cast).toList();
    }

    private Manifests() {
    }
}
