package dev.tributary.rest;

import dev.tributary.broker.records.RecordPage;
import dev.tributary.broker.records.RecordReader;
import dev.tributary.rest.dto.Problem;
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
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Reads records back from one partition, by offset or by timestamp. */
@Path("/topics/{name}/partitions/{partition}/records")
@Tag(name = "Records")
@RequestScoped
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(Roles.CONSUMER)
public class PartitionRecordsResource {

    static final int DEFAULT_LIMIT = 100;
    static final int MAX_LIMIT = 10_000;

    @Inject
    RecordReader reader;

    /**
     * Reads from {@code offset}, or from the first record at or after {@code timestamp}, or (neither given) from
     * the start of the log.
     */
    @Operation(summary = "Read records of a partition from an offset or a timestamp")
    @APIResponse(responseCode = "200", description = "Records and the next offset to read",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = RecordsPage.class)))
    @APIResponse(responseCode = "400", description = "Malformed partition, offset, timestamp or limit",
            content = @Content(mediaType = ProblemExceptionMapper.PROBLEM_JSON, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "404", description = "No such topic or partition",
            content = @Content(mediaType = ProblemExceptionMapper.PROBLEM_JSON, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "416", description = "Offset out of range",
            content = @Content(mediaType = ProblemExceptionMapper.PROBLEM_JSON, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "500",
            description = "The replica on this broker holds corrupt data; the detail names the partition and offset",
            content = @Content(mediaType = ProblemExceptionMapper.PROBLEM_JSON, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "503", description = "Partition offline",
            content = @Content(mediaType = ProblemExceptionMapper.PROBLEM_JSON, schema = @Schema(implementation = Problem.class)))
    @GET
    public RecordsPage read(@PathParam("name") String topic,
                            @PathParam("partition") @Parameter(schema = @Schema(type = SchemaType.INTEGER))
                            String partitionParam,
                            @QueryParam("offset") String offsetParam, @QueryParam("timestamp") String timestampParam,
                            @QueryParam("limit") String limitParam) {
        // Numbers are read here, exactly, not by JAX-RS, which would answer a malformed one with 404.
        int partition = WholeNumber.of(partitionParam).toInt("partition", 0, Integer.MAX_VALUE);
        WholeNumber offset = WholeNumber.ofParameter(offsetParam);
        WholeNumber timestamp = WholeNumber.ofParameter(timestampParam);
        WholeNumber limit = WholeNumber.ofParameter(limitParam);
        int max = limit == null ? DEFAULT_LIMIT : limit.toInt("limit", 1, MAX_LIMIT);
        if (offset != null && timestamp != null) {
            throw new InvalidRequestException("Give either offset or timestamp, not both");
        }
        RecordPage page;
        if (timestamp != null) {
            page = reader.readFromTimestamp(topic, partition, timestamp.toLong("timestamp", 0, Long.MAX_VALUE), max);
        } else if (offset != null) {
            page = reader.read(topic, partition, offset.toLong("offset", 0, Long.MAX_VALUE), max);
        } else {
            page = reader.readFromStart(topic, partition, max);
        }
        return new RecordsPage(topic, partition,
                page.records().stream().map(RecordCodec::toConsumedRecord).toList(), page.nextOffset());
    }
}
