package dev.tributary.rest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tributary.broker.group.OffsetResetTarget;
import dev.tributary.broker.records.NewRecord;
import dev.tributary.broker.topic.NewTopic;
import dev.tributary.rest.dto.CreatePartitionsRequest;
import dev.tributary.rest.dto.CreateTopicRequest;
import dev.tributary.rest.dto.ProduceRequest;
import dev.tributary.rest.dto.ResetOffsetsRequest;
import jakarta.json.bind.Jsonb;
import jakarta.json.bind.JsonbBuilder;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * Every integer field of every request body, bound by Yasson as the server binds it and read as its resource
 * reads it: exact, or refused naming the field and echoing the value as sent. (Query and path parameters go
 * through the same {@link WholeNumber}: see {@link WholeNumberTest}.)
 */
class RequestNumbersTest {

    private static final Jsonb JSONB = JsonbBuilder.create();

    @AfterAll
    static void close() throws Exception {
        JSONB.close();
    }

    @Test
    void producedRecordsPartitionAndTimestamp() {
        NewRecord record = record("{\"value\":\"x\",\"partition\":2.0,\"timestamp\":1e3}");
        assertEquals(2, record.partition().getAsInt());
        assertEquals(1000, record.timestamp().getAsLong());
        NewRecord quoted = record("{\"value\":\"x\",\"partition\":\"3\",\"timestamp\":\"1700000000000\"}");
        assertEquals(3, quoted.partition().getAsInt(), "a string holding a number reads as JSON-B read it");
        assertEquals(1_700_000_000_000L, quoted.timestamp().getAsLong());
        NewRecord none = record("{\"value\":\"x\",\"partition\":null}");
        assertTrue(none.partition().isEmpty() && none.timestamp().isEmpty());

        String partition = "records[0].partition must be a whole number from 0 to 2147483647, was ";
        assertRefused(partition + "'4294967297'", () -> record("{\"value\":\"x\",\"partition\":4294967297}"));
        assertRefused(partition + "'1.7'", () -> record("{\"value\":\"x\",\"partition\":1.7}"));
        assertRefused(partition + "'-1'", () -> record("{\"value\":\"x\",\"partition\":-1}"));
        assertRefused(partition + "'abc'", () -> record("{\"value\":\"x\",\"partition\":\"abc\"}"));
        assertRefused(partition + "'true'", () -> record("{\"value\":\"x\",\"partition\":true}"));
        assertRefused(partition + "'{\"p\":1}'", () -> record("{\"value\":\"x\",\"partition\":{\"p\":1}}"));
        assertRefused(partition + "'[1]'", () -> record("{\"value\":\"x\",\"partition\":[1]}"));
        String timestamp = "records[0].timestamp must be a whole number from 0 to 9223372036854775807, was ";
        assertRefused(timestamp + "'99999999999999999999'",
                () -> record("{\"value\":\"x\",\"timestamp\":99999999999999999999}"));
        assertRefused(timestamp + "'1e30'", () -> record("{\"value\":\"x\",\"timestamp\":1e30}"));
        assertRefused(timestamp + "'1.9'", () -> record("{\"value\":\"x\",\"timestamp\":1.9}"));
        assertRefused(timestamp + "'-5'", () -> record("{\"value\":\"x\",\"timestamp\":-5}"));
    }

    @Test
    void aNumberTooLongForTheParserIsRefusedWithItsEchoCut() {
        String digits = "7".repeat(5000);
        InvalidRequestException refused = assertThrows(InvalidRequestException.class,
                () -> record("{\"value\":\"x\",\"timestamp\":" + digits + "}"));
        assertTrue(refused.getMessage().startsWith("records[0].timestamp must be a whole number"),
                refused.getMessage());
        assertTrue(refused.getMessage().contains("(5000 characters)"), refused.getMessage());
    }

    @Test
    void createdTopicsPartitionsAndReplicationFactor() {
        NewTopic topic = TopicsResource.newTopic(bind("{\"name\":\"t\",\"partitions\":3.0,\"replicationFactor\":1}",
                CreateTopicRequest.class));
        assertEquals(3, topic.partitions());
        assertEquals(1, topic.replicationFactor());
        NewTopic defaults = TopicsResource.newTopic(bind("{\"name\":\"t\"}", CreateTopicRequest.class));
        assertEquals(1, defaults.partitions());
        assertEquals(1, defaults.replicationFactor());

        assertRefused("partitions must be a whole number from 1 to 10000, was '99999999999'",
                () -> TopicsResource.newTopic(bind("{\"name\":\"t\",\"partitions\":99999999999}",
                        CreateTopicRequest.class)));
        assertRefused("partitions must be a whole number from 1 to 10000, was '2.5'",
                () -> TopicsResource.newTopic(bind("{\"name\":\"t\",\"partitions\":2.5}", CreateTopicRequest.class)));
        assertRefused("replicationFactor must be a whole number from 1 to 32767, was '65537'",
                () -> TopicsResource.newTopic(bind("{\"name\":\"t\",\"replicationFactor\":65537}",
                        CreateTopicRequest.class)));
    }

    @Test
    void addedPartitionsCount() {
        assertEquals(5, TopicsResource.newPartitionCount(bind("{\"count\":5}", CreatePartitionsRequest.class)));
        assertRefused("count must be a whole number from 1 to 10000, was '4294967299'",
                () -> TopicsResource.newPartitionCount(bind("{\"count\":4294967299}", CreatePartitionsRequest.class)));
        assertRefused("count must be a whole number from 1 to 10000, was '1e30'",
                () -> TopicsResource.newPartitionCount(bind("{\"count\":1e30}", CreatePartitionsRequest.class)));
    }

    @Test
    void offsetResetsPartitionsOffsetAndTimestamp() {
        ResetOffsetsRequest reset = bind("{\"topic\":\"t\",\"to\":\"offset\",\"offset\":12,\"partitions\":[0,2.0]}",
                ResetOffsetsRequest.class);
        assertEquals(List.of(0, 2), GroupsResource.partitions(reset.partitions()));
        assertEquals(new OffsetResetTarget.Explicit(12), GroupsResource.target(reset));
        assertEquals(List.of(), GroupsResource.partitions(null), "none named: all of them");
        assertEquals(new OffsetResetTarget.AtTimestamp(1_700_000_000_000L), GroupsResource.target(bind(
                "{\"topic\":\"t\",\"to\":\"timestamp\",\"timestamp\":1.7e12}", ResetOffsetsRequest.class)));

        assertRefused("partitions[1] must be a whole number from 0 to 2147483647, was '4294967297'",
                () -> GroupsResource.partitions(bind("{\"partitions\":[0,4294967297]}", ResetOffsetsRequest.class)
                        .partitions()));
        assertRefused("partitions[0] is null",
                () -> GroupsResource.partitions(bind("{\"partitions\":[null]}", ResetOffsetsRequest.class)
                        .partitions()));
        assertRefused("offset must be a whole number from 0 to 9223372036854775807, was '1e30'",
                () -> GroupsResource.target(bind("{\"topic\":\"t\",\"to\":\"offset\",\"offset\":1e30}",
                        ResetOffsetsRequest.class)));
        assertRefused("timestamp must be a whole number from 0 to 9223372036854775807, was '1.5'",
                () -> GroupsResource.target(bind("{\"topic\":\"t\",\"to\":\"timestamp\",\"timestamp\":1.5}",
                        ResetOffsetsRequest.class)));
        assertRefused("\"offset\" must be given as a non-negative number",
                () -> GroupsResource.target(bind("{\"topic\":\"t\",\"to\":\"offset\"}", ResetOffsetsRequest.class)));
    }

    @Test
    void nullFieldsStayAbsent() {
        ResetOffsetsRequest reset = bind("{\"timestamp\":null,\"offset\":null}", ResetOffsetsRequest.class);
        assertNull(reset.timestamp());
        assertNull(reset.offset());
    }

    private static NewRecord record(String json) {
        return RecordCodec.toNewRecord(bind("{\"records\":[" + json + "]}", ProduceRequest.class).records().get(0), 0);
    }

    private static <T> T bind(String json, Class<T> type) {
        return JSONB.fromJson(json, type);
    }

    private static void assertRefused(String message, Executable read) {
        assertEquals(message, assertThrows(InvalidRequestException.class, read).getMessage());
    }
}
