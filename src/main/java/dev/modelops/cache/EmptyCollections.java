package dev.modelops.cache;

import java.lang.reflect.Field;
import java.lang.reflect.InaccessibleObjectException;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Replaces the empty lists and maps of a fabric8 model object, and of the model objects it holds, with the one
 * immutable empty list or map of the JVM. fabric8 allocates an empty collection for every such field of every object
 * (a PodSpec has fourteen, every object an empty map of unknown properties), and the operator caches a ModelJob, a
 * Job and a pod for every job it has run; {@code bench.CacheFootprint} measures what this saves. The object reads and
 * serializes as before; only for the copies a cache keeps, which nothing adds to. The one use of reflection into a
 * library's classes, allowed in this package only (ArchitectureTest).
 */
public final class EmptyCollections {

    private static final String MODEL = "io.fabric8.kubernetes.api.model";
    private static final List<?> EMPTY_LIST = List.of();
    private static final Map<?, ?> EMPTY_MAP = Map.of();
    private static final ClassValue<List<Field>> FIELDS = new ClassValue<>() {
        @Override
        protected List<Field> computeValue(Class<?> type) {
            List<Field> fields = new ArrayList<>();
            for (Class<?> c = type; c != null && model(c); c = c.getSuperclass()) {
                for (Field field : c.getDeclaredFields()) {
                    if (!Modifier.isStatic(field.getModifiers()) && !field.getType().isPrimitive() && open(field)) {
                        fields.add(field);
                    }
                }
            }
            return List.copyOf(fields);
        }
    };

    private EmptyCollections() {
    }

    /** The object, with its empty collections and those of the model objects it holds shared. */
    public static <T> T shared(T object) {
        if (object == null || !model(object.getClass())) {
            return object;
        }
        for (Field field : FIELDS.get(object.getClass())) {
            try {
                Object value = field.get(object);
                if (value instanceof List<?> list && list.isEmpty() && field.getType().isInstance(EMPTY_LIST)) {
                    field.set(object, EMPTY_LIST);
                } else if (value instanceof Map<?, ?> map && map.isEmpty() && field.getType().isInstance(EMPTY_MAP)) {
                    field.set(object, EMPTY_MAP);
                } else if (value instanceof Collection<?> collection) {
                    collection.forEach(EmptyCollections::shared);
                } else {
                    shared(value);
                }
            } catch (IllegalAccessException e) {
                throw new IllegalStateException("cannot reach " + field, e);
            }
        }
        return object;
    }

    private static boolean model(Class<?> type) {
        return type.getPackageName().startsWith(MODEL);
    }

    private static boolean open(Field field) {
        try {
            field.setAccessible(true);
            return true;
        } catch (InaccessibleObjectException e) {
            return false;
        }
    }
}
