package dev.tributary.rest;

import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.math.BigDecimal;
import java.util.HashMap;
import java.util.Map;

/**
 * Topic configs arrive as a JSON object; Kafka's configs are strings, but {@code "retention.ms": 1000} is what
 * people type, so numbers and booleans are taken as their text. JSON null means "remove the override".
 *
 * <p>A whole number in {@code long} range is written as its digits, whatever its notation ({@code 1e3} is
 * "1000", {@code 1.0} is "1", as {@link WholeNumber} reads them); any other number keeps JSON's notation
 * ({@code 1.5}, {@code 1E+30}) for the config's own validation to judge. None is ever written out in full:
 * {@code 1e999999999} would be a billion digits.
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

    private static String text(BigDecimal number) {
        try {
            return Long.toString(number.longValueExact());
        } catch (ArithmeticException fractionOrBeyondLong) {
            return number.toString();
        }
    }

    private static String text(String key, JsonValue value) {
        return switch (value.getValueType()) {
            case STRING -> ((JsonString) value).getString();
            case NUMBER -> text(((JsonNumber) value).bigDecimalValue());
            case TRUE -> "true";
            case FALSE -> "false";
            case NULL -> null;
            default -> throw new InvalidRequestException(
                    "Config '" + key + "' must be a string, number or boolean, not " + value.getValueType());
        };
    }
}
