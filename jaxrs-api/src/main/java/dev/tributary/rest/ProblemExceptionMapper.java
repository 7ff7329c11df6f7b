package dev.tributary.rest;

import dev.tributary.broker.log.LogCorruptionException;
import dev.tributary.rest.dto.Problem;
import jakarta.json.JsonException;
import jakarta.json.bind.JsonbException;
import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.apache.kafka.common.errors.ApiException;
import org.apache.kafka.common.protocol.Errors;

/**
 * Turns every failure into {@code application/problem+json}. Broker failures are Kafka's own exceptions, so the
 * HTTP status follows from the Kafka error, and the response names that error too. Client mistakes are not logged
 * with stack traces; anything unexpected is logged in full and answered without internals.
 */
@Provider
public class ProblemExceptionMapper implements ExceptionMapper<Throwable> {

    static final String PROBLEM_JSON = "application/problem+json";
    private static final int MAX_ECHO = 1000;
    private static final Logger LOG = Logger.getLogger(ProblemExceptionMapper.class.getName());

    @Context
    UriInfo uriInfo;

    @Override
    public Response toResponse(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            // The size cap trips inside the JSON parser, which wraps it; the cap is what the client must hear.
            if (cause instanceof RequestTooLargeException tooLarge) {
                return problem(413, tooLarge.getMessage(), null);
            }
        }
        if (failure instanceof WebApplicationException web) {
            Response.StatusType status = web.getResponse().getStatusInfo();
            String detail = web.getCause() instanceof JsonbException json ? malformed(json) : web.getMessage();
            return problem(status.getStatusCode(), detail, null);
        }
        if (failure instanceof InvalidRequestException) {
            return problem(400, failure.getMessage(), null);
        }
        if (failure instanceof ProcessingException || failure instanceof JsonbException
                || failure instanceof JsonException // JSON-B bodies, and JSON-P ones (PATCH .../configs)
                || raisedByTheJsonParser(failure)) {
            return problem(400, malformed(failure), null);
        }
        if (failure instanceof ApiException) {
            Errors error = Errors.forException(failure);
            int status = HttpStatusOfKafkaError.of((ApiException) failure);
            // Corrupt data is logged once, where it was found, not once per request that meets it.
            if (status >= 500 && !(failure instanceof LogCorruptionException)) {
                LOG.log(Level.WARNING, "Request failed with " + error + ": " + failure.getMessage());
            }
            return problem(status, failure.getMessage(), error.name());
        }
        LOG.log(Level.SEVERE, "Unexpected failure serving " + path(), failure);
        return problem(500, "Internal error; the broker log has the details", null);
    }

    /** Parsson refuses a too deeply nested document with a plain RuntimeException: still the client's bad JSON. */
    private static boolean raisedByTheJsonParser(Throwable failure) {
        StackTraceElement[] trace = failure.getStackTrace();
        return failure.getClass() == RuntimeException.class && trace.length > 0
                && trace[0].getClassName().startsWith("org.eclipse.parsson.");
    }

    private static String malformed(Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return "Malformed JSON body: " + root.getMessage();
    }

    private Response problem(int status, String detail, String errorCode) {
        Response.Status known = Response.Status.fromStatusCode(status);
        String title = known != null ? known.getReasonPhrase() : HttpStatusOfKafkaError.reasonPhrase(status);
        return Response.status(status)
                .type(MediaType.valueOf(PROBLEM_JSON))
                .entity(new Problem("about:blank", title, status, shortened(detail), shortened(path()), errorCode))
                .build();
    }

    /** Errors quote what the client sent (a topic name, say): never send a huge input back. */
    static String shortened(String text) {
        return text == null || text.length() <= MAX_ECHO ? text : text.substring(0, MAX_ECHO) + "... ("
                + text.length() + " characters)";
    }

    private String path() {
        return uriInfo == null ? null : "/" + uriInfo.getPath(false).replaceFirst("^/", "");
    }
}
