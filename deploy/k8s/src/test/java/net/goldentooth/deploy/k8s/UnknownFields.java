package net.goldentooth.deploy.k8s;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Fields a typed model (fabric8's or Strimzi's) did not recognise. Both keep unknown fields in an
 * {@code additionalProperties} map instead of failing, so a misspelt field would parse silently; this
 * walks the parsed objects through their getters and lists every such field with its path.
 */
final class UnknownFields {

    static List<String> under(Object root, String path) throws Exception {
        List<String> unknown = new ArrayList<>();
        walk(root, path, unknown, new IdentityHashMap<>());
        return unknown;
    }

    private static void walk(Object node, String path, List<String> unknown, Map<Object, Boolean> seen) throws Exception {
        if (node == null || seen.put(node, true) != null) {
            return;
        }
        if (node instanceof Collection<?> items) {
            int i = 0;
            for (Object item : items) {
                walk(item, path + "[" + i++ + "]", unknown, seen);
            }
            return;
        }
        if (node instanceof Map<?, ?> map) {
            for (var entry : map.entrySet()) {
                walk(entry.getValue(), path + "." + entry.getKey(), unknown, seen);
            }
            return;
        }
        String type = node.getClass().getName();
        if (!type.startsWith("io.strimzi.") && !type.startsWith("io.fabric8.kubernetes.api.model.")) {
            return;
        }
        for (Method getter : node.getClass().getMethods()) {
            if (getter.getParameterCount() != 0 || Modifier.isStatic(getter.getModifiers())) {
                continue;
            }
            String name = getter.getName();
            if (name.equals("getAdditionalProperties")) {
                Object extra = getter.invoke(node);
                if (extra instanceof Map<?, ?> fields) {
                    fields.keySet().forEach(k -> unknown.add(path + "." + k));
                }
            } else if ((name.startsWith("get") || name.startsWith("is")) && !name.equals("getClass")) {
                String field = name.replaceFirst("^(get|is)", "");
                if (!field.isEmpty()) {
                    walk(getter.invoke(node), path + "." + Character.toLowerCase(field.charAt(0)) + field.substring(1), unknown, seen);
                }
            }
        }
    }

    private UnknownFields() {
    }
}
