package dev.tributary.broker.group;

import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Schedules work on a group for later: the work runs on the coordinator's scheduler, under the group's monitor, and
 * not at all if the group died or the coordinator closed meanwhile ({@link Groups#onTimer}). A task cancelled
 * after it started waits for the monitor and then runs: the work re-checks that it is still current.
 */
final class GroupTimers {

    private static final Logger LOG = Logger.getLogger(GroupTimers.class.getName());

    private final Groups groups;
    private final ScheduledExecutorService scheduler;

    GroupTimers(Groups groups, ScheduledExecutorService scheduler) {
        this.groups = groups;
        this.scheduler = scheduler;
    }

    ScheduledFuture<?> schedule(Group group, long delayMs, Runnable work) {
        return scheduler.schedule(() -> {
            try {
                groups.onTimer(group, work);
            } catch (RuntimeException e) {
                LOG.log(Level.SEVERE, "A timer of group " + group.groupId() + " failed", e);
            }
        }, delayMs, TimeUnit.MILLISECONDS);
    }
}
