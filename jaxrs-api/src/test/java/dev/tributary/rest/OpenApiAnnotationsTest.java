package dev.tributary.rest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import dev.tributary.rest.dto.Problem;
import jakarta.ws.rs.HttpMethod;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.junit.jupiter.api.Test;

/**
 * Every REST operation carries what the generated OpenAPI document needs: a summary, and each error response as
 * problem+json with the {@link Problem} schema. (ObservabilityIT checks the document the server serves.)
 */
class OpenApiAnnotationsTest {

    @Test
    void everyOperationHasASummaryAndProblemJsonErrors() {
        int operations = 0;
        for (Class<?> resource : TributaryApplication.RESOURCES) {
            for (Method method : resource.getDeclaredMethods()) {
                if (Arrays.stream(method.getAnnotations())
                        .noneMatch(a -> a.annotationType().isAnnotationPresent(HttpMethod.class))) {
                    continue;
                }
                operations++;
                String name = resource.getSimpleName() + "." + method.getName();
                Operation operation = method.getAnnotation(Operation.class);
                assertNotNull(operation, name + " has no @Operation");
                assertFalse(operation.summary().isBlank(), name + " has no summary");
                APIResponse[] responses = method.getAnnotationsByType(APIResponse.class);
                assertFalse(responses.length == 0, name + " documents no response");
                for (APIResponse response : responses) {
                    if (response.responseCode().startsWith("4") || response.responseCode().startsWith("5")) {
                        Content content = response.content()[0];
                        assertEquals(ProblemExceptionMapper.PROBLEM_JSON, content.mediaType(), name);
                        assertEquals(Problem.class, content.schema().implementation(), name);
                    }
                }
            }
        }
        assertEquals(24, operations, "the REST API's operations");
    }

    /** A resource class missing from the list would escape both checks of its documentation. */
    @Test
    void theListOfResourcesHasEveryResourceClass() throws Exception {
        Path classes = Path.of(TributaryApplication.class.getProtectionDomain()
                .getCodeSource().getLocation().toURI());
        List<Class<?>> found;
        try (var files = Files.walk(classes)) {
            found = files.map(file -> classes.relativize(file).toString())
                    .filter(name -> name.endsWith(".class") && !name.contains("$"))
                    .map(name -> name.substring(0, name.length() - ".class".length()).replace('/', '.'))
                    .<Class<?>>map(OpenApiAnnotationsTest::load)
                    .filter(type -> type.isAnnotationPresent(jakarta.ws.rs.Path.class)) // the JAX-RS Path
                    .toList();
        }
        assertEquals(Set.copyOf(found), Set.copyOf(TributaryApplication.RESOURCES));
    }

    private static Class<?> load(String name) {
        try {
            return Class.forName(name, false, OpenApiAnnotationsTest.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException(e);
        }
    }
}
