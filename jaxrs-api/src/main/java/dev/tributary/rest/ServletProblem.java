package dev.tributary.rest;

import dev.tributary.rest.dto.Problem;
import jakarta.json.Json;
import jakarta.json.JsonObjectBuilder;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * Writes an RFC 9457 problem straight to a servlet response, for what is answered before JAX-RS (and its
 * {@link ProblemExceptionMapper}) sees a request: a failed authentication, a broker that does not serve yet. The
 * body has the members of {@link Problem} as JAX-RS writes them, absent ones left out.
 */
public final class ServletProblem {

    private ServletProblem() {
    }

    /** Sets {@code status} and writes the problem; headers the caller wants (a challenge, Retry-After) go first. */
    public static void send(HttpServletRequest request, HttpServletResponse response, int status, String title,
                            String detail, String errorCode) {
        response.setStatus(status);
        response.setContentType(ProblemExceptionMapper.PROBLEM_JSON);
        response.setCharacterEncoding("UTF-8");
        Problem problem = new Problem("about:blank", title, status, ProblemExceptionMapper.shortened(detail),
                ProblemExceptionMapper.shortened(request.getRequestURI()), errorCode);
        try {
            response.getWriter().write(json(problem));
        } catch (IOException e) {
            // the client went away; the status is what matters
        }
    }

    private static String json(Problem problem) {
        JsonObjectBuilder json = Json.createObjectBuilder().add("type", problem.type()).add("title", problem.title())
                .add("status", problem.status());
        if (problem.detail() != null)
            json.add("detail", problem.detail());
        if (problem.instance() != null)
            json.add("instance", problem.instance());
        if (problem.errorCode() != null)
            json.add("errorCode", problem.errorCode());
        return json.build().toString();
    }
}
