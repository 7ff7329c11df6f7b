package dev.tributary.jca.api;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class OutgoingRecordTest {

    @Test
    void topicAndValueAreRequired() {
        IllegalStateException noTopic = assertThrows(IllegalStateException.class,
                () -> OutgoingRecord.builder().value("v").build());
        assertTrue(noTopic.getMessage().contains("topic"));
        IllegalStateException noValue = assertThrows(IllegalStateException.class,
                () -> OutgoingRecord.builder().topic("t").build());
        assertTrue(noValue.getMessage().contains("value"));
        assertThrows(IllegalArgumentException.class, () -> OutgoingRecord.builder().partition(-1));
    }

    @Test
    void isImmutableAndKeepsEverythingItWasBuiltWith() {
        byte[] value = "v".getBytes(StandardCharsets.UTF_8);
        byte[] header = {1, 2};
        OutgoingRecord record = OutgoingRecord.builder().topic("t").key("k").value(value).header("h", header)
                .header("h", new byte[] {3}).partition(2).timestamp(1234).build();
        value[0] = 'x';
        header[0] = 9;
        record.value()[0] = 'y';

        assertArrayEquals("v".getBytes(StandardCharsets.UTF_8), record.value());
        assertEquals(2, record.headers().size(), "a header name may repeat");
        assertArrayEquals(new byte[] {1, 2}, record.headers().get(0).getValue());
        assertArrayEquals("k".getBytes(StandardCharsets.UTF_8), record.keyBytes());
        assertEquals(2, record.partition().getAsInt());
        assertEquals(1234, record.timestamp().getAsLong());
    }

    @Test
    void consumedRecordGivesTheLastHeaderOfAName() {
        ConsumedRecord record = new ConsumedRecord("t", 0, 5, 1, null, "v".getBytes(StandardCharsets.UTF_8),
                java.util.List.of(java.util.Map.entry("h", new byte[] {1}), java.util.Map.entry("h", new byte[] {2})));
        assertArrayEquals(new byte[] {2}, record.lastHeader("h"));
        assertEquals("v", record.valueAsString());
        assertEquals(null, record.lastHeader("missing"));
    }
}
