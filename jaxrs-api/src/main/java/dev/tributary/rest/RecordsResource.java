package dev.tributary.rest;

import dev.tributary.broker.records.AppendedRecord;
import dev.tributary.broker.records.NewRecord;
import dev.tributary.broker.records.RecordWriter;
import dev.tributary.rest.dto.Problem;
import dev.tributary.rest.dto.ProduceRequest;
import dev.tributary.rest.dto.ProduceResponse;
import dev.tributary.rest.dto.RecordPosition;
import dev.tributary.rest.security.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * Produces records to a topic. (Reading lives in {@link PartitionRecordsResource}: JAX-RS picks the root resource
 * with the longest literal path, so a resource at {@code /topics/{name}} would shadow {@code GET /topics/{name}}.)
 */
@Path("/topics/{name}/records")
@Tag(name = "Records")
@RequestScoped
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(Roles.PRODUCER)
public class RecordsResource {

    @Inject
    RecordWriter writer;

    @Operation(summary = "Append records to a topic")
    @APIResponse(responseCode = "200", description = "Where each record landed, in request order",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ProduceResponse.class)))
    @APIResponse(responseCode = "400", description = "Malformed body or record",
            content = @Content(mediaType = ProblemExceptionMapper.PROBLEM_JSON, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "404", description = "No such topic or partition",
            content = @Content(mediaType = ProblemExceptionMapper.PROBLEM_JSON, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "413", description = "Body or record too large",
            content = @Content(mediaType = ProblemExceptionMapper.PROBLEM_JSON, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "503", description = "Partition offline",
            content = @Content(mediaType = ProblemExceptionMapper.PROBLEM_JSON, schema = @Schema(implementation = Problem.class)))
    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public ProduceResponse produce(@PathParam("name") String topic, ProduceRequest request) {
        if (request == null || request.records() == null || request.records().isEmpty()) {
            throw new InvalidRequestException("Expected {\"records\": [...]} with at least one record");
        }
        List<NewRecord> records = new ArrayList<>(request.records().size());
        for (int i = 0; i < request.records().size(); i++) {
            records.add(RecordCodec.toNewRecord(request.records().get(i), i));
        }
        List<AppendedRecord> appended = writer.append(topic, records);
        return new ProduceResponse(appended.stream()
                .map(r -> new RecordPosition(r.partition(), r.offset(), r.timestamp()))
                .toList());
    }
}
