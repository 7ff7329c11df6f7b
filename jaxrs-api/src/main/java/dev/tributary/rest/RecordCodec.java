package dev.tributary.rest;

import dev.tributary.broker.records.NewRecord;
import dev.tributary.broker.records.StoredRecord;
import dev.tributary.rest.dto.ConsumedRecord;
import dev.tributary.rest.dto.ProduceRecord;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.OptionalLong;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;

/** Translates records between their JSON form (text or base64) and the broker's bytes. */
final class RecordCodec {

    private RecordCodec() {
    }

    static NewRecord toNewRecord(ProduceRecord record, int index) {
        if (record == null) {
            throw new InvalidRequestException("records[" + index + "] is null");
        }
        List<Header> headers = new ArrayList<>();
        if (record.headers() != null) {
            record.headers().forEach((name, value) -> headers.add(new RecordHeader(name,
                    value == null ? null : value.getBytes(StandardCharsets.UTF_8))));
        }
        String field = "records[" + index + "].";
        return new NewRecord(
                record.partition() == null ? OptionalInt.empty()
                        : OptionalInt.of(record.partition().toInt(field + "partition", 0, Integer.MAX_VALUE)),
                bytes(record.key(), record.keyBase64(), field + "key"),
                bytes(record.value(), record.valueBase64(), field + "value"),
                headers,
                record.timestamp() == null ? OptionalLong.empty()
                        : OptionalLong.of(record.timestamp().toLong(field + "timestamp", 0, Long.MAX_VALUE)));
    }

    static ConsumedRecord toConsumedRecord(StoredRecord record) {
        String key = utf8OrNull(record.key());
        String value = utf8OrNull(record.value());
        Map<String, String> headers = new LinkedHashMap<>();
        for (Header header : record.headers()) {
            headers.put(header.key(), header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8));
        }
        return new ConsumedRecord(record.offset(), record.timestamp(),
                key, key == null ? base64OrNull(record.key()) : null,
                value, value == null ? base64OrNull(record.value()) : null,
                headers.isEmpty() ? null : headers);
    }

    private static byte[] bytes(String text, String base64, String field) {
        if (text != null && base64 != null) {
            throw new InvalidRequestException(field + " and " + field + "Base64 are mutually exclusive");
        }
        if (text != null) {
            return text.getBytes(StandardCharsets.UTF_8);
        }
        if (base64 == null) {
            return null;
        }
        try {
            return Base64.getDecoder().decode(base64);
        } catch (IllegalArgumentException e) {
            throw new InvalidRequestException(field + "Base64 is not valid base64: " + e.getMessage());
        }
    }

    /** The text of valid UTF-8, or null (also for bytes that are not UTF-8, which then travel as base64). */
    private static String utf8OrNull(byte[] bytes) {
        if (bytes == null) {
            return null;
        }
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    private static String base64OrNull(byte[] bytes) {
        return bytes == null ? null : Base64.getEncoder().encodeToString(bytes);
    }
}
