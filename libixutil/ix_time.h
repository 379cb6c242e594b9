/*
 * The monotonic clock in milliseconds, for deadlines and timers that a
 * change of the wall clock must not move.
 */
#ifndef IX_TIME_H
#define IX_TIME_H

/* Milliseconds on CLOCK_MONOTONIC (from an unspecified start). */
long long ix_now_ms(void);

#endif
