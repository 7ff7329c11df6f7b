package dev.tributary.rest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.Json;
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
    void nestedValuesAreRefusedNamingTheKey() {
        InvalidRequestException failure = assertThrows(InvalidRequestException.class, () -> ConfigValues.fromJson(
                Json.createObjectBuilder().add("retention.ms", Json.createArrayBuilder().add(1)).build()));
        assertTrue(failure.getMessage().contains("retention.ms"), failure.getMessage());
    }
}
