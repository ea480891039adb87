package io.quarkus.test.junit;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A stand-in with the name of Quarkus's annotation, for the fixtures only: the real one cannot be
 * on this module's test class path (quarkus-junit registers a JUnit launcher listener that needs
 * all of Quarkus). The rules match classes by name, so the fixtures violate them exactly as a test
 * carrying the real annotation would. This module's own classes are never checked by the rules.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface QuarkusTest {
}
