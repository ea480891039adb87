package net.goldentooth.rest.errors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.container.ResourceInfo;
import java.lang.reflect.Method;
import org.junit.jupiter.api.Test;

class RestErrorMappersTest {

    static final class Requests {
        record Body(String name) {
        }
    }

    @SuppressWarnings("unused")
    static final class Resource {
        void create(@PathParam("id") String id, Requests.Body body) {
        }

        void noBody(@PathParam("id") String id) {
        }
    }

    @Test
    void theBodyTypeIsTheParameterWithoutAnnotationNamedWithItsEnclosingClasses() throws Exception {
        assertEquals("RestErrorMappersTest.Requests.Body",
                RestErrorMappers.bodyType(matched(Resource.class.getDeclaredMethod("create", String.class, Requests.Body.class))));
    }

    @Test
    void noBodyParameterOrNoMatchedMethodGivesNoType() throws Exception {
        assertNull(RestErrorMappers.bodyType(matched(Resource.class.getDeclaredMethod("noBody", String.class))));
        assertNull(RestErrorMappers.bodyType(matched(null)));
        assertNull(RestErrorMappers.bodyType(null));
    }

    private static ResourceInfo matched(Method method) {
        return new ResourceInfo() {
            @Override
            public Method getResourceMethod() {
                return method;
            }

            @Override
            public Class<?> getResourceClass() {
                return method == null ? null : method.getDeclaringClass();
            }
        };
    }
}
