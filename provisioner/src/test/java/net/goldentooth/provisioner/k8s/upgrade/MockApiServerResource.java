package net.goldentooth.provisioner.k8s.upgrade;

import io.quarkus.test.kubernetes.client.KubernetesServerTestResource;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;

/**
 * fabric8's KubernetesMockServer in CRUD mode on a port of this module's range, as a test resource
 * a {@link io.quarkus.test.junit.QuarkusTestProfile} can list (the tests' profiles turn off global
 * resources, and with them {@code @WithKubernetesTestServer} on the class). A Kubernetes API server
 * cannot run here.
 */
public abstract class MockApiServerResource extends KubernetesServerTestResource {

    MockApiServerResource(Class<?> settings) {
        init(settings.getAnnotation(WithKubernetesTestServer.class));
    }

    /** For {@link UpgradeIT}. */
    public static final class Port21443 extends MockApiServerResource {
        public Port21443() {
            super(Settings21443.class);
        }
    }

    /** For {@link ResumedUpgradeIT}. */
    public static final class Port21444 extends MockApiServerResource {
        public Port21444() {
            super(Settings21444.class);
        }
    }

    @WithKubernetesTestServer(crud = true, port = 21443)
    private static final class Settings21443 {
    }

    @WithKubernetesTestServer(crud = true, port = 21444)
    private static final class Settings21444 {
    }
}
