package dev.tributary.it.jcabench;

import jakarta.ejb.EJB;
import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Application;
import jakarta.ws.rs.core.MediaType;
import java.util.Arrays;

/** What {@code JcaInVmBenchmark} drives; every answer is "key=value ..." for a RESULT line. */
@Path("/")
@Produces(MediaType.TEXT_PLAIN)
public class BenchResource {

    @ApplicationPath("/bench")
    public static class App extends Application {
    }

    @EJB
    private InVmSends sends;

    @EJB
    private Latencies latencies;

    @POST
    @Path("throughput")
    public String throughput(@QueryParam("topic") String topic, @QueryParam("mode") String mode,
                             @QueryParam("count") int count, @QueryParam("size") int size) throws Exception {
        long nanos = "async".equals(mode) ? sends.async(topic, count, size) : sends.sync(topic, count, size);
        double recordsPerSecond = count * 1e9 / nanos;
        return String.format("rec_s=%.0f MB_s=%.1f", recordsPerSecond, recordsPerSecond * size / 1e6);
    }

    /** One record at a time: send, wait for the listener to get it, next. */
    @POST
    @Path("latency")
    public String latency(@QueryParam("count") int count) throws Exception {
        long[] micros = new long[count];
        for (int i = 0; i < count; i++) {
            sends.sendTimestamp("bench-latency");
            long nanos = latencies.next();
            if (nanos < 0)
                throw new IllegalStateException("record " + i + " was not delivered within 10 s");
            micros[i] = nanos / 1000;
        }
        Arrays.sort(micros);
        return String.format("p50_us=%d p99_us=%d max_us=%d", micros[count / 2], micros[count * 99 / 100],
                micros[count - 1]);
    }
}
