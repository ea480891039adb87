package net.goldentooth.provisioner.k8s;

import io.fabric8.kubernetes.client.KubernetesClient;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import java.time.Clock;

/** The one {@link KubeOperations}, over Quarkus's fabric8 client (which contacts the API server only when used). */
@ApplicationScoped
public class KubeOperationsProducer {

    @Produces
    @ApplicationScoped
    KubeOperations operations(KubernetesClient client, Clock clock, K8sConfig config) {
        return new KubeOperations(client, clock, config.evictionRetry());
    }
}
