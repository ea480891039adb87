package net.goldentooth.deploy.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import org.junit.jupiter.api.Test;

import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Invariants of the Kubernetes manifests, checked on the objects fabric8 parses them into. */
class ManifestsTest {

    /** The four services on Kubernetes (the node agent is a systemd unit, the CLI a workstation tool). */
    static final Map<String, Integer> SERVICES = Map.of(
            "provisioner", 8081, "pki-service", 8082, "storage-service", 8083, "monitor-service", 8084);

    private final List<Manifests.Doc> docs = Manifests.all();

    @Test
    void everyManifestIsInTheKustomizationAndEveryListedFileExists() throws Exception {
        JsonNode kustomization = Manifests.YAML.readTree(Manifests.MANIFESTS.resolve("kustomization.yaml").toFile());
        Set<String> listed = new TreeSet<>();
        kustomization.get("resources").forEach(r -> listed.add(r.asText()));
        Set<String> present = Manifests.resourceFiles().stream()
                .map(f -> Manifests.MANIFESTS.relativize(f).toString()).collect(Collectors.toCollection(TreeSet::new));
        assertEquals(present, listed);
        assertEquals("goldentooth", kustomization.get("namespace").asText());
    }

    @Test
    void theInventoryConfigMapIsACopyOfTheInventory() throws Exception {
        assertEquals(Files.readString(Manifests.ROOT.resolve("deploy/inventory/goldentooth.yaml")),
                Files.readString(Manifests.MANIFESTS.resolve("inventory/goldentooth.yaml")),
                "deploy/k8s/manifests/inventory/goldentooth.yaml differs from deploy/inventory/goldentooth.yaml: copy it");
    }

    @Test
    void everyResourceIsTypedKnownFieldByFieldAndInTheNamespace() throws Exception {
        assertFalse(docs.isEmpty());
        assertEquals(1, Manifests.ofType(docs, Namespace.class).size());
        for (Manifests.Doc doc : docs) {
            HasMetadata r = doc.resource();
            if (!(r instanceof Namespace)) {
                assertEquals("goldentooth", r.getMetadata().getNamespace(), doc.file() + " " + r.getKind());
            }
            if (r instanceof GenericKubernetesResource) {
                assertTrue(r.getApiVersion().startsWith("kafka.strimzi.io/"),
                        doc.file() + ": " + r.getKind() + " should have parsed into a typed fabric8 object");
            } else {
                assertEquals(List.of(), UnknownFields.under(r, doc.file().getFileName() + ":" + r.getKind()),
                        "fields the Kubernetes API does not have");
            }
        }
    }

    @Test
    void everyServiceHasAWorkloadAServiceAndAConfigMap() {
        Map<String, Manifests.Workload> workloads = Manifests.workloads(docs).stream()
                .collect(Collectors.toMap(Manifests.Workload::name, w -> w));
        assertEquals(SERVICES.keySet(), workloads.keySet());
        Map<String, Service> services = Manifests.ofType(docs, Service.class).stream()
                .collect(Collectors.toMap(s -> s.getMetadata().getName(), s -> s));
        assertEquals(SERVICES.keySet(), services.keySet());
        for (var entry : SERVICES.entrySet()) {
            Manifests.Workload workload = workloads.get(entry.getKey());
            Service service = services.get(entry.getKey());
            Map<String, String> podLabels = workload.template().getMetadata().getLabels();
            assertTrue(podLabels.entrySet().containsAll(service.getSpec().getSelector().entrySet()),
                    entry.getKey() + ": the Service selects no pod of the workload");
            assertTrue(podLabels.entrySet().containsAll(workload.selector().getMatchLabels().entrySet()),
                    entry.getKey() + ": the workload's selector does not select its own pods");
            if (workload.resource() instanceof StatefulSet statefulSet) {
                assertEquals(entry.getKey(), statefulSet.getSpec().getServiceName(), entry.getKey() + ": serviceName");
            }
            assertEquals(entry.getValue(), service.getSpec().getPorts().get(0).getPort());
            Container container = workload.template().getSpec().getContainers().get(0);
            assertEquals(entry.getValue(), container.getPorts().get(0).getContainerPort(), entry.getKey());
            assertEquals(container.getPorts().get(0).getName(), service.getSpec().getPorts().get(0).getTargetPort().getStrVal());
        }
    }

    @Test
    void everyWorkloadHasBothProbesRequestsLimitsAndArm64() {
        List<Manifests.Workload> workloads = Manifests.workloads(docs);
        assertFalse(workloads.isEmpty());
        for (Manifests.Workload w : workloads) {
            String name = w.name();
            var pod = w.template().getSpec();
            assertEquals("arm64", pod.getNodeSelector().get("kubernetes.io/arch"), name + ": arm64 nodes only");
            for (Container c : pod.getContainers()) {
                assertProbe(name, "/q/health/live", c.getLivenessProbe());
                assertProbe(name, "/q/health/ready", c.getReadinessProbe());
            }
            List<Container> all = new ArrayList<>(pod.getContainers());
            if (pod.getInitContainers() != null) {
                all.addAll(pod.getInitContainers());
            }
            for (Container c : all) {
                for (String resource : List.of("cpu", "memory")) {
                    assertNotNull(c.getResources().getRequests().get(resource), name + "/" + c.getName() + " requests " + resource);
                    assertNotNull(c.getResources().getLimits().get(resource), name + "/" + c.getName() + " limits " + resource);
                }
                long limit = c.getResources().getLimits().get("memory").getNumericalAmount().longValue();
                long request = c.getResources().getRequests().get("memory").getNumericalAmount().longValue();
                assertTrue(request <= limit, name + ": memory request above its limit");
                // A Pi 4B has 4 or 8 GiB for every pod on it.
                assertTrue(limit <= 1L << 30, name + ": memory limit above 1 GiB does not fit a Pi");
            }
        }
    }

    /**
     * Every service runs two replicas, spread over two machines where possible, under a
     * PodDisruptionBudget that keeps one of them through a drain: monitor-service and
     * storage-service elect a leader on service.leadership, the provisioner's instances share the
     * jobs by partition, pki-service's agree on tokens and requests through pki.claims.
     */
    @Test
    void everyServiceRunsTwoReplicasUnderADisruptionBudget() {
        Map<String, Manifests.Workload> workloads = Manifests.workloads(docs).stream()
                .collect(Collectors.toMap(Manifests.Workload::name, w -> w));
        Map<String, PodDisruptionBudget> budgets = Manifests.ofType(docs, PodDisruptionBudget.class).stream()
                .collect(Collectors.toMap(b -> b.getMetadata().getName(), b -> b));
        assertEquals(SERVICES.keySet(), budgets.keySet(), "one PodDisruptionBudget per service");
        for (String name : SERVICES.keySet()) {
            Manifests.Workload workload = workloads.get(name);
            assertNotNull(workload, name + " has no Deployment or StatefulSet");
            assertEquals(2, workload.replicas(), name + ": two instances, so that one survives a lost machine");
            PodDisruptionBudget budget = budgets.get(name);
            assertEquals(1, budget.getSpec().getMinAvailable().getIntVal(), name + ": one pod stays through a drain");
            assertNull(budget.getSpec().getMaxUnavailable(), name + ": minAvailable alone");
            Map<String, String> podLabels = workload.template().getMetadata().getLabels();
            assertTrue(podLabels.entrySet().containsAll(budget.getSpec().getSelector().getMatchLabels().entrySet()),
                    name + ": the budget selects no pod of the workload");
            var antiAffinity = workload.template().getSpec().getAffinity().getPodAntiAffinity()
                    .getPreferredDuringSchedulingIgnoredDuringExecution();
            assertTrue(antiAffinity.stream().anyMatch(t -> t.getPodAffinityTerm().getTopologyKey().equals("kubernetes.io/hostname")
                            && podLabels.entrySet().containsAll(t.getPodAffinityTerm().getLabelSelector().getMatchLabels().entrySet())),
                    name + ": the two replicas are not spread over machines");
            if (workload.resource() instanceof Deployment deployment && deployment.getSpec().getStrategy() != null) {
                assertNotEquals("Recreate", deployment.getSpec().getStrategy().getType(),
                        name + ": Recreate stops both replicas at once");
            }
        }
    }

    /**
     * Replicas never share a volume: no pod mounts a PersistentVolumeClaim by name (two pods of one
     * workload would share it, and a ReadWriteOnce claim cannot be), and no claim stands alone. Every
     * path under /var/lib/goldentooth a service's ConfigMap names is on a volume of the pod's own,
     * from the StatefulSet's claim templates; a service whose config names none keeps no state.
     */
    @Test
    void everyInstanceKeepsItsStateOnAVolumeOfItsOwn() {
        assertEquals(List.of(), Manifests.ofType(docs, PersistentVolumeClaim.class).stream()
                .map(c -> c.getMetadata().getName()).toList(), "a standalone claim is shared by every replica");
        Set<String> stateful = new TreeSet<>();
        for (Manifests.Workload w : Manifests.workloads(docs)) {
            var pod = w.template().getSpec();
            for (Volume volume : pod.getVolumes()) {
                assertNull(volume.getPersistentVolumeClaim(), w.name() + ": volume " + volume.getName()
                        + " is one claim for every replica; use a StatefulSet's volumeClaimTemplates");
            }
            Set<String> own = w.claimTemplates().stream().map(c -> c.getMetadata().getName()).collect(Collectors.toSet());
            for (PersistentVolumeClaim claim : w.claimTemplates()) {
                assertEquals(List.of("ReadWriteOnce"), claim.getSpec().getAccessModes(), w.name());
                assertNotNull(claim.getSpec().getResources().getRequests().get("storage"), w.name() + ": claim size");
                assertTrue(pod.getVolumes().stream().noneMatch(v -> v.getName().equals(claim.getMetadata().getName())),
                        w.name() + ": a pod volume hides the claim template " + claim.getMetadata().getName());
            }
            List<VolumeMount> mounts = pod.getContainers().get(0).getVolumeMounts();
            for (String path : configuredPaths(w.name())) {
                if (!path.startsWith("/var/lib/goldentooth/")) {
                    continue;
                }
                VolumeMount mount = mounts.stream()
                        .filter(m -> path.equals(m.getMountPath()) || path.startsWith(m.getMountPath() + "/"))
                        .max(java.util.Comparator.comparingInt(m -> m.getMountPath().length())).orElseThrow(
                                () -> new AssertionError(w.name() + ": " + path + " is on no mounted volume"));
                assertTrue(own.contains(mount.getName()), w.name() + ": " + path + " is on volume " + mount.getName()
                        + ", not on one of the pod's own (volumeClaimTemplates " + own + ")");
                assertFalse(Boolean.TRUE.equals(mount.getReadOnly()), w.name() + ": state mounted read-only");
                stateful.add(w.name());
            }
        }
        assertEquals(Set.of("pki-service", "provisioner"), stateful, "the services that keep state on disk");
    }

    private List<String> configuredPaths(String service) {
        ConfigMap config = Manifests.ofType(docs, ConfigMap.class).stream()
                .filter(c -> c.getMetadata().getName().equals(service + "-config")).findFirst().orElseThrow();
        List<String> paths = new ArrayList<>();
        for (String line : config.getData().get("application.properties").split("\n")) {
            String value = line.substring(line.indexOf('=') + 1);
            if (!line.startsWith("#") && value.startsWith("/")) {
                paths.add(value);
            }
        }
        return paths;
    }

    private static void assertProbe(String deployment, String path, Probe probe) {
        assertNotNull(probe, deployment + " has no probe on " + path);
        assertEquals(path, probe.getHttpGet().getPath(), deployment);
        assertEquals("http", probe.getHttpGet().getPort().getStrVal(), deployment);
    }

    @Test
    void everyConfigMapKeyIsAKeyTheServiceReads() throws Exception {
        List<String> unknown = new ArrayList<>();
        for (ConfigMap map : Manifests.ofType(docs, ConfigMap.class)) {
            String service = map.getMetadata().getName().replaceFirst("-config$", "");
            assertTrue(SERVICES.containsKey(service), "ConfigMap of no service: " + map.getMetadata().getName());
            assertEquals(Set.of("application.properties"), map.getData().keySet());
            Properties properties = new Properties();
            properties.load(new StringReader(map.getData().get("application.properties")));
            ConfigKeys known = ConfigKeys.of(Manifests.ROOT.resolve(service));
            for (String key : properties.stringPropertyNames()) {
                if (!known.reads(key)) {
                    unknown.add(service + ": " + key);
                }
            }
            assertTrue(properties.getProperty("kafka.bootstrap.servers").startsWith("goldentooth-kafka-bootstrap.goldentooth.svc:"));
        }
        assertEquals(List.of(), unknown, "ConfigMap keys no @ConfigMapping of the service declares");
    }

    @Test
    void mountedPathsAreTheOnesTheConfigMapsName() {
        for (Manifests.Workload w : Manifests.workloads(docs)) {
            Set<String> mounts = w.template().getSpec().getContainers().get(0).getVolumeMounts().stream()
                    .map(m -> m.getMountPath()).collect(Collectors.toSet());
            assertTrue(mounts.contains("/deployments/config"), w.name() + " does not mount its config");
            for (String value : configuredPaths(w.name())) {
                assertTrue(mounts.stream().anyMatch(m -> value.equals(m) || value.startsWith(m + "/")),
                        w.name() + ": " + value + " is on no mounted volume");
            }
        }
    }

    @Test
    void theKafkaIsKraftWithThreeCombinedNodesThatSurviveOneDown() {
        List<GenericKubernetesResource> strimzi = Manifests.ofType(docs, GenericKubernetesResource.class);
        GenericKubernetesResource kafka = strimzi.stream().filter(r -> r.getKind().equals("Kafka")).findFirst().orElseThrow();
        assertEquals("enabled", kafka.getMetadata().getAnnotations().get("strimzi.io/kraft"));
        assertEquals("enabled", kafka.getMetadata().getAnnotations().get("strimzi.io/node-pools"));
        Map<String, Object> config = kafka.get("spec", "kafka", "config");
        assertEquals(3, config.get("default.replication.factor"));
        assertEquals(2, config.get("min.insync.replicas"));
        assertEquals(3, config.get("offsets.topic.replication.factor"));
        assertEquals(false, config.get("auto.create.topics.enable"));
        assertTrue(kafka.getAdditionalProperties().toString().contains("zookeeper") == false, "no ZooKeeper in KRaft mode");

        List<GenericKubernetesResource> pools = strimzi.stream().filter(r -> r.getKind().equals("KafkaNodePool")).toList();
        assertEquals(1, pools.size());
        GenericKubernetesResource pool = pools.get(0);
        assertEquals(kafka.getMetadata().getName(), pool.getMetadata().getLabels().get("strimzi.io/cluster"));
        assertEquals(3, (Integer) pool.get("spec", "replicas"));
        assertEquals(List.of("controller", "broker"), pool.get("spec", "roles"));
        assertTrue(pool.get("spec", "template", "pod", "affinity").toString().contains("arm64"));
        assertTrue(pool.get("spec", "template", "pod", "affinity").toString().contains("podAntiAffinity"),
                "one broker per node, or one node down takes two replicas");
    }
}
