package dev.tributary.rest;

import dev.tributary.broker.records.RecordPage;
import dev.tributary.broker.records.RecordReader;
import dev.tributary.broker.topic.TopicRegistry;
import dev.tributary.rest.dto.RecordsPage;
import dev.tributary.rest.security.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

/** Reads records back from one partition, by offset or by timestamp. */
@Path("/topics/{name}/partitions/{partition}/records")
@RequestScoped
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(Roles.CONSUMER)
public class PartitionRecordsResource {

    static final int DEFAULT_LIMIT = 100;
    static final int MAX_LIMIT = 10_000;

    @Inject
    TopicRegistry topics;

    @Inject
    RecordReader reader;

    /**
     * Reads from {@code offset}, or from the first record at or after {@code timestamp}, or (neither given) from
     * the start of the log.
     */
    @GET
    public RecordsPage read(@PathParam("name") String topic, @PathParam("partition") int partition,
                            @QueryParam("offset") String offsetParam, @QueryParam("timestamp") String timestampParam,
                            @QueryParam("limit") String limitParam) {
        // Query values are parsed here, not by JAX-RS, which would answer a malformed number with 404.
        Long offset = QueryValues.nonNegativeLong("offset", offsetParam);
        Long timestamp = QueryValues.nonNegativeLong("timestamp", timestampParam);
        Long limit = QueryValues.nonNegativeLong("limit", limitParam);
        int max = limit == null ? DEFAULT_LIMIT : (int) Math.min(limit, Integer.MAX_VALUE);
        if (max < 1 || max > MAX_LIMIT) {
            throw new InvalidRequestException("limit must be between 1 and " + MAX_LIMIT + ", was " + max);
        }
        if (offset != null && timestamp != null) {
            throw new InvalidRequestException("Give either offset or timestamp, not both");
        }
        RecordPage page;
        if (timestamp != null) {
            page = reader.readFromTimestamp(topic, partition, timestamp, max);
        } else {
            long from = offset != null ? offset : topics.partitionLog(topic, partition).logStartOffset();
            page = reader.read(topic, partition, from, max);
        }
        return new RecordsPage(topic, partition,
                page.records().stream().map(RecordCodec::toConsumedRecord).toList(), page.nextOffset());
    }
}
