package dev.modelops.helm;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.client.utils.Serialization;
import org.luaj.vm2.Globals;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.lib.jse.JsePlatform;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;

/** Runs one of the chart's Argo CD health checks as Argo CD does: a Lua chunk with the object as {@code obj}. */
public final class ArgoCdHealth {

    private ArgoCdHealth() {
    }

    /** The health status ({@code Healthy}, {@code Progressing}, ...) the script gives the object. */
    public static String of(String script, Object object) {
        Globals globals = JsePlatform.standardGlobals();
        globals.set("obj", lua(Serialization.jsonMapper().valueToTree(object)));
        LuaValue result = globals.load(read(script), script).call();
        return result.get("status").tojstring();
    }

    private static String read(String script) {
        try {
            return Files.readString(Path.of("helm/modelops-operator/argocd", script));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static LuaValue lua(JsonNode node) {
        if (node.isObject()) {
            LuaTable table = new LuaTable();
            for (Iterator<Map.Entry<String, JsonNode>> fields = node.fields(); fields.hasNext(); ) {
                Map.Entry<String, JsonNode> field = fields.next();
                table.set(field.getKey(), lua(field.getValue()));
            }
            return table;
        }
        if (node.isArray()) {
            LuaTable table = new LuaTable();
            for (int i = 0; i < node.size(); i++) {
                table.set(i + 1, lua(node.get(i)));
            }
            return table;
        }
        if (node.isNumber()) {
            return LuaValue.valueOf(node.asDouble());
        }
        if (node.isBoolean()) {
            return LuaValue.valueOf(node.asBoolean());
        }
        return node.isNull() ? LuaValue.NIL : LuaValue.valueOf(node.asText());
    }
}
