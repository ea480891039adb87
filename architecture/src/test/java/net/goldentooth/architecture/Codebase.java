package net.goldentooth.architecture;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The compiled classes of every module of the parent build (its {@code <module>} list, read from
 * the root pom, so a new module is checked without editing this class), and the pure packages
 * their READMEs name. Classes are read from each module's {@code target/classes} and
 * {@code target/test-classes}: the reactor builds them before this module.
 */
final class Codebase {

    static final String ROOT_PACKAGE = "net.goldentooth";
    private static final Pattern MODULE = Pattern.compile("<module>([^<]+)</module>");
    /** {@code Pure packages: a, b.c, net.goldentooth.x.y} — short names are relative to the module's package. */
    private static final Pattern PURE_LINE = Pattern.compile("(?m)^\\s*(?:[-*]\\s*)?\\**Pure packages:?\\**:?\\s*(.+)$");

    private final Path root;
    private final List<String> modules;

    private Codebase(Path root) {
        this.root = root;
        try {
            Matcher matcher = MODULE.matcher(Files.readString(root.resolve("pom.xml")));
            List<String> found = new ArrayList<>();
            while (matcher.find()) {
                String module = matcher.group(1).trim();
                if (!module.equals("architecture")) {
                    found.add(module);
                }
            }
            this.modules = List.copyOf(found);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The checkout this build runs in ({@code goldentooth.root}, set by the parent pom). */
    static Codebase ofThisBuild() {
        String root = System.getProperty("goldentooth.root");
        if (root == null || root.isBlank()) {
            throw new IllegalStateException("system property goldentooth.root is not set: run through ./mvnw");
        }
        return new Codebase(Path.of(root));
    }

    List<String> modules() {
        return modules;
    }

    /** Main classes of every module. */
    JavaClasses mainClasses() {
        return importFrom("src/main/java", "target/classes");
    }

    /** Test classes of every module. */
    JavaClasses testClasses() {
        return importFrom("src/test/java", "target/test-classes");
    }

    /** Main and test classes of every module. */
    JavaClasses allClasses() {
        List<Path> paths = new ArrayList<>(compiled("src/main/java", "target/classes"));
        paths.addAll(compiled("src/test/java", "target/test-classes"));
        return new ClassFileImporter().importPaths(paths);
    }

    private JavaClasses importFrom(String sources, String classes) {
        return new ClassFileImporter().importPaths(compiled(sources, classes));
    }

    /**
     * The class directories of the modules that have sources there; a module with sources but no
     * classes fails, so that a skipped compilation cannot make every rule pass on nothing.
     */
    private List<Path> compiled(String sources, String classes) {
        List<Path> paths = new ArrayList<>();
        for (String module : modules) {
            if (hasJava(root.resolve(module).resolve(sources))) {
                Path dir = root.resolve(module).resolve(classes);
                if (!Files.isDirectory(dir)) {
                    throw new IllegalStateException(module + " has " + sources + " but no " + classes
                            + ": build it in the same reactor (./mvnw -pl architecture -am verify)");
                }
                paths.add(dir);
            }
        }
        return paths;
    }

    /**
     * Pure packages named in the modules' READMEs, by module. A short name ({@code jobs}) is
     * relative to the module's one top-level package ({@code net.goldentooth.provisioner}).
     */
    Map<String, List<String>> purePackages() {
        Map<String, List<String>> pure = new TreeMap<>();
        for (String module : modules) {
            Path readme = root.resolve(module).resolve("README.md");
            if (!Files.isRegularFile(readme)) {
                continue;
            }
            String text;
            try {
                text = Files.readString(readme);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            Matcher matcher = PURE_LINE.matcher(text);
            List<String> packages = new ArrayList<>();
            while (matcher.find()) {
                for (String name : matcher.group(1).split(",")) {
                    String cleaned = name.replaceAll("[`*\\s]", "").replaceAll("\\.$", "");
                    if (!cleaned.isEmpty()) {
                        packages.add(cleaned.startsWith(ROOT_PACKAGE + ".") ? cleaned : basePackage(module) + "." + cleaned);
                    }
                }
            }
            if (!packages.isEmpty()) {
                pure.put(module, List.copyOf(packages));
            }
        }
        return pure;
    }

    /** {@code net.goldentooth.<the one directory under net/goldentooth in src/main/java>}. */
    String basePackage(String module) {
        Path dir = root.resolve(module).resolve("src/main/java/net/goldentooth");
        try (Stream<Path> children = Files.list(dir)) {
            List<Path> packages = children.filter(Files::isDirectory).toList();
            if (packages.size() != 1) {
                throw new IllegalStateException(module + " has " + packages.size() + " packages under " + dir
                        + ": name its pure packages in full (" + ROOT_PACKAGE + ".…)");
            }
            return ROOT_PACKAGE + "." + packages.get(0).getFileName();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static boolean hasJava(Path dir) {
        if (!Files.isDirectory(dir)) {
            return false;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            return files.anyMatch(file -> file.toString().endsWith(".java"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
