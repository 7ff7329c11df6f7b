package dev.tributary.rest;

import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.core.Application;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.OpenAPIDefinition;
import org.eclipse.microprofile.openapi.annotations.info.Info;

/**
 * The REST API, version 1. Resources and providers are discovered by annotation; the server serves the OpenAPI
 * document generated from their annotations at {@code /openapi}.
 */
@ApplicationPath("/api/v1")
@OpenAPIDefinition(info = @Info(title = "Tributary REST API", version = "1",
        description = "Topics, records and consumer groups of a Tributary broker. Every error is"
                + " application/problem+json (RFC 9457) with the Kafka errorCode it corresponds to."))
public class TributaryApplication extends Application {

    /**
     * Every resource class of {@code /api/v1} (scanning finds them; the list is for the checks that each is fully
     * documented, and a unit test keeps it complete).
     */
    public static final List<Class<?>> RESOURCES = List.of(TopicsResource.class, RecordsResource.class,
            PartitionRecordsResource.class, GroupsResource.class, UsersResource.class, AclsResource.class,
            ClusterResource.class, MeResource.class, StatsResource.class);
}
