/*
 * The monotonic clock (ix_time.h).
 */
#include <time.h>

#include "libixutil/ix_time.h"

long long
ix_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}
