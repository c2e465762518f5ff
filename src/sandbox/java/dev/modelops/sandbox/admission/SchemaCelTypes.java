package dev.modelops.sandbox.admission;

import com.google.common.collect.ImmutableCollection;
import com.google.common.collect.ImmutableSet;
import dev.cel.common.types.CelType;
import dev.cel.common.types.CelTypeProvider;
import dev.cel.common.types.ListType;
import dev.cel.common.types.MapType;
import dev.cel.common.types.SimpleType;
import dev.cel.common.types.StructType;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The CEL types of the nodes of one schema, as Kubernetes declares them: an object with properties is a struct whose
 * fields are the escaped property names, so that a rule naming an unknown field fails to compile; a map is
 * {@code map(string, T)}, an array {@code list(T)}; int-or-string and schemaless nodes are {@code dyn}.
 */
final class SchemaCelTypes implements CelTypeProvider {

    private final Map<String, CelType> structs = new LinkedHashMap<>();

    /** The type of the node at {@code path}; struct types are registered under a name made from the path. */
    CelType typeOf(JSONSchemaProps schema, String path, boolean resourceRoot) {
        if (Schemas.isIntOrString(schema) || schema.getType() == null) {
            return SimpleType.DYN;
        }
        return switch (schema.getType()) {
            case "string" -> SimpleType.STRING;
            case "integer" -> SimpleType.INT;
            case "number" -> SimpleType.DOUBLE;
            case "boolean" -> SimpleType.BOOL;
            case "array" -> Schemas.items(schema) == null ? ListType.create(SimpleType.DYN)
                    : ListType.create(typeOf(Schemas.items(schema), path + "[]", false));
            case "object" -> objectType(schema, path, resourceRoot);
            default -> SimpleType.DYN;
        };
    }

    private CelType objectType(JSONSchemaProps schema, String path, boolean resourceRoot) {
        if (!Schemas.properties(schema).isEmpty() || resourceRoot) {
            Map<String, CelType> fields = new LinkedHashMap<>();
            Schemas.properties(schema).forEach((name, property) -> CelPropertyNames.escape(name)
                    .ifPresent(escaped -> fields.put(escaped, typeOf(property, path + "." + name, false))));
            if (resourceRoot) {
                fields.putIfAbsent("apiVersion", SimpleType.STRING);
                fields.putIfAbsent("kind", SimpleType.STRING);
                fields.putIfAbsent("metadata", objectMeta(path));
            }
            String name = structName(path);
            StructType struct = StructType.create(name, ImmutableSet.copyOf(fields.keySet()),
                    field -> Optional.ofNullable(fields.get(field)));
            structs.put(name, struct);
            return struct;
        }
        if (Schemas.additionalProperties(schema) != null) {
            return MapType.create(SimpleType.STRING, typeOf(Schemas.additionalProperties(schema), path + "{}", false));
        }
        return SimpleType.DYN;
    }

    /** Rules at a resource root see only the name and generateName of the metadata. */
    private CelType objectMeta(String path) {
        String name = structName(path + ".metadata");
        Map<String, CelType> fields = Map.of("name", SimpleType.STRING, "generateName", SimpleType.STRING);
        StructType meta = StructType.create(name, ImmutableSet.copyOf(fields.keySet()),
                field -> Optional.ofNullable(fields.get(field)));
        structs.put(name, meta);
        return meta;
    }

    private static String structName(String path) {
        return "schema" + path.replaceAll("[^A-Za-z0-9_.]", "_");
    }

    @Override
    public ImmutableCollection<CelType> types() {
        return ImmutableSet.copyOf(structs.values());
    }

    @Override
    public Optional<CelType> findType(String typeName) {
        return Optional.ofNullable(structs.get(typeName));
    }
}
