package dev.tributary.jca;

import jakarta.resource.spi.work.ExecutionContext;
import jakarta.resource.spi.work.Work;
import jakarta.resource.spi.work.WorkListener;
import jakarta.resource.spi.work.WorkManager;

/**
 * A test WorkManager defined by how it schedules: every scheduleWork and startWork variant goes to
 * {@link #schedule}; doWork runs the Work on the caller's thread.
 */
public abstract class SchedulingWorkManager implements WorkManager {

    protected abstract void schedule(Work work);

    @Override
    public final void scheduleWork(Work work) {
        schedule(work);
    }

    @Override
    public final void scheduleWork(Work work, long startTimeout, ExecutionContext context, WorkListener listener) {
        schedule(work);
    }

    @Override
    public final void doWork(Work work) {
        work.run();
    }

    @Override
    public final void doWork(Work work, long startTimeout, ExecutionContext context, WorkListener listener) {
        work.run();
    }

    @Override
    public final long startWork(Work work) {
        schedule(work);
        return 0;
    }

    @Override
    public final long startWork(Work work, long startTimeout, ExecutionContext context, WorkListener listener) {
        schedule(work);
        return 0;
    }
}
