package io.finhub.realization;

/**
 * How a commitment (or, taking its worst commitment, a contract) stands on a checkpoint. A running
 * commitment is ON_TRACK at 100 % of what is due, BEHIND from 90 %, AT_RISK below; once its period
 * has ended it is ACHIEVED or MISSED.
 */
public enum DeliveryStatus {
    ACHIEVED,
    ON_TRACK,
    NOT_MEASURED,
    BEHIND,
    AT_RISK,
    MISSED
}
