package dev.tributary.broker.boundary;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.tributary.broker.records.NewRecord;
import dev.tributary.jca.api.OutgoingRecord;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.OptionalInt;
import java.util.OptionalLong;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.record.internal.SimpleRecord;
import org.junit.jupiter.api.Test;

class InVmRecordsTest {

    @Test
    void anOutgoingRecordBecomesTheSameRecordForTheLog() {
        NewRecord converted = InVmRecords.toNewRecord(OutgoingRecord.builder().topic("orders").key("customer-1")
                .value("placed").header("source", bytes("web")).header("source", bytes("batch")).partition(2)
                .timestamp(42).build());

        assertEquals(OptionalInt.of(2), converted.partition());
        assertArrayEquals(bytes("customer-1"), converted.key());
        assertArrayEquals(bytes("placed"), converted.value());
        assertEquals(OptionalLong.of(42), converted.timestamp());
        List<Header> headers = converted.headers();
        assertEquals(List.of("source", "source"), headers.stream().map(Header::key).toList());
        assertArrayEquals(bytes("web"), headers.get(0).value());
        assertArrayEquals(bytes("batch"), headers.get(1).value());
    }

    @Test
    void aRecordWithoutKeyHeadersPartitionOrTimestampLeavesThemToTheBroker() {
        NewRecord converted = InVmRecords.toNewRecord(OutgoingRecord.builder().topic("orders").value("v").build());

        assertNull(converted.key());
        assertEquals(List.of(), converted.headers());
        assertEquals(OptionalInt.empty(), converted.partition());
        SimpleRecord stamped = converted.toSimpleRecord(1_000);
        assertEquals(1_000, stamped.timestamp());
        assertEquals(0, stamped.headers().length);
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
