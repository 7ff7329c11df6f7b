package dev.tributary.rest;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.tributary.broker.records.NewRecord;
import dev.tributary.broker.records.StoredRecord;
import dev.tributary.rest.dto.ConsumedRecord;
import dev.tributary.rest.dto.ProduceRecord;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.junit.jupiter.api.Test;

class RecordCodecTest {

    @Test
    void textAndBase64BothBecomeBytes() {
        NewRecord text = RecordCodec.toNewRecord(new ProduceRecord("k", null, "v", null, Map.of("h", "x"), WholeNumber.of("2"), WholeNumber.of("7")), 0);
        assertArrayEquals("k".getBytes(StandardCharsets.UTF_8), text.key());
        assertArrayEquals("v".getBytes(StandardCharsets.UTF_8), text.value());
        assertEquals(2, text.partition().getAsInt());
        assertEquals(7L, text.timestamp().getAsLong());
        assertEquals("h", text.headers().get(0).key());

        NewRecord binary = RecordCodec.toNewRecord(new ProduceRecord(null, "AAH/", null, null, null, null, null), 0);
        assertArrayEquals(new byte[] {0, 1, (byte) 0xff}, binary.key());
        assertNull(binary.value(), "no value is a tombstone");
        assertEquals(true, binary.partition().isEmpty());
    }

    @Test
    void rejectsAmbiguousOrBrokenInputNamingTheField() {
        InvalidRequestException both = assertThrows(InvalidRequestException.class,
                () -> RecordCodec.toNewRecord(new ProduceRecord("k", "aw==", "v", null, null, null, null), 3));
        assertEquals("records[3].key and records[3].keyBase64 are mutually exclusive", both.getMessage());
        InvalidRequestException base64 = assertThrows(InvalidRequestException.class,
                () -> RecordCodec.toNewRecord(new ProduceRecord(null, null, null, "%%%", null, null, null), 1));
        assertEquals(true, base64.getMessage().startsWith("records[1].valueBase64 is not valid base64"));
        assertThrows(InvalidRequestException.class,
                () -> RecordCodec.toNewRecord(new ProduceRecord(null, null, "v", null, null, null, WholeNumber.of("-5")), 0));
        assertThrows(InvalidRequestException.class, () -> RecordCodec.toNewRecord(null, 0));
    }

    @Test
    void utf8ReadsBackAsTextAndAnythingElseAsBase64() {
        ConsumedRecord record = RecordCodec.toConsumedRecord(new StoredRecord(5, 9,
                "clé".getBytes(StandardCharsets.UTF_8), new byte[] {(byte) 0xc3, 0x28},
                List.of(new RecordHeader("h", "x".getBytes(StandardCharsets.UTF_8)))));
        assertEquals("clé", record.key());
        assertNull(record.keyBase64());
        assertNull(record.value(), "invalid UTF-8 is not passed off as text");
        assertEquals("wyg=", record.valueBase64());
        assertEquals(Map.of("h", "x"), record.headers());
    }
}
