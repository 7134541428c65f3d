/* Helpers every secret-handling routine needs. */
#include <string.h>

#include "crypto.h"

/*
 * memset, then an empty asm that claims to read the memory: the compiler must assume
 * the zeros are observed, so it cannot drop the stores as dead.
 */
void crypto_wipe(void *p, size_t len)
{
	memset(p, 0, len);
	__asm__ __volatile__("" : : "r"(p) : "memory");
}

bool crypto_equal(const void *a, const void *b, size_t len)
{
	const uint8_t *x = a, *y = b;
	uint8_t diff = 0;
	for (size_t i = 0; i < len; i++)
		diff |= x[i] ^ y[i];
	return diff == 0;
}
