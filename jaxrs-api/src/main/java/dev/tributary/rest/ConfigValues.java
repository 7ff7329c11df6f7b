package dev.tributary.rest;

import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.util.HashMap;
import java.util.Map;

/**
 * Topic configs arrive as a JSON object; Kafka's configs are strings, but {@code "retention.ms": 1000} is what
 * people type, so numbers and booleans are taken as their text. JSON null means "remove the override".
 */
final class ConfigValues {

    private ConfigValues() {
    }

    static Map<String, String> fromJson(JsonObject json) {
        Map<String, String> configs = new HashMap<>();
        if (json == null) {
            return configs;
        }
        json.forEach((key, value) -> configs.put(key, text(key, value)));
        return configs;
    }

    private static String text(String key, JsonValue value) {
        return switch (value.getValueType()) {
            case STRING -> ((JsonString) value).getString();
            case NUMBER -> ((JsonNumber) value).bigDecimalValue().toPlainString();
            case TRUE -> "true";
            case FALSE -> "false";
            case NULL -> null;
            default -> throw new InvalidRequestException(
                    "Config '" + key + "' must be a string, number or boolean, not " + value.getValueType());
        };
    }
}
