package dev.tributary.internal.forward;

import dev.tributary.HeartbeatType;

/**
 * How the servers' health is watched: the heartbeat and the phi accrual detector (see {@link
 * PhiAccrualDetector}), and how long a server whose connection failed is passed over while
 * others can take its chunks (doubling from {@code cooldownInitialNanos} to {@code
 * cooldownMaxNanos} per consecutive failure). Immutable.
 */
public record HealthSettings(HeartbeatType heartbeat, long intervalNanos, int phiThreshold,
    long hardTimeoutNanos, long recoverWaitNanos, long cooldownInitialNanos, long cooldownMaxNanos) {}
