package dev.tributary.rest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.Json;
import java.io.StringReader;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConfigValuesTest {

    @Test
    void numbersAndBooleansAreTakenAsTheirTextAndNullRemoves() {
        Map<String, String> configs = ConfigValues.fromJson(Json.createObjectBuilder()
                .add("retention.ms", 86_400_000L).add("flush.messages", "1").add("x.enable", true)
                .addNull("segment.ms").build());
        assertEquals("86400000", configs.get("retention.ms"));
        assertEquals("1", configs.get("flush.messages"));
        assertEquals("true", configs.get("x.enable"));
        assertTrue(configs.containsKey("segment.ms"));
        assertNull(configs.get("segment.ms"));
    }

    @Test
    void wholeNumbersAreWrittenAsDigitsAndOthersInJsonNotationNeverExpanded() {
        Map<String, String> configs = ConfigValues.fromJson(Json.createReader(new StringReader(
                "{\"a\": 1e3, \"b\": 1.0, \"c\": 1.5, \"d\": 1e30, \"e\": 1e999999999, \"f\": -7}"))
                .readObject());
        assertEquals("1000", configs.get("a"));
        assertEquals("1", configs.get("b"));
        assertEquals("1.5", configs.get("c"));
        assertEquals("1E+30", configs.get("d"), "beyond long range: the config's validation refuses it");
        assertEquals("1E+999999999", configs.get("e"), "not a billion digits");
        assertEquals("-7", configs.get("f"));
    }

    @Test
    void nestedValuesAreRefusedNamingTheKey() {
        InvalidRequestException failure = assertThrows(InvalidRequestException.class, () -> ConfigValues.fromJson(
                Json.createObjectBuilder().add("retention.ms", Json.createArrayBuilder().add(1)).build()));
        assertTrue(failure.getMessage().contains("retention.ms"), failure.getMessage());
    }
}
