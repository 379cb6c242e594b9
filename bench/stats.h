/*
 * Small helpers the benchmarks share: a monotonic clock in milliseconds
 * and quantiles of samples.
 */
#ifndef BENCH_STATS_H
#define BENCH_STATS_H

#include <stddef.h>

/* CLOCK_MONOTONIC in milliseconds. */
double bench_now_ms(void);

/* qsort comparator for doubles, ascending. */
int bench_cmp_double(const void *a, const void *b);

/* Sorts v in place; returns the value at quantile q (0..1), 0 when n is 0. */
double bench_quantile(double *v, size_t n, double q);

#endif
