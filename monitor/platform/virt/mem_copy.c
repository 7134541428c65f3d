/*
 * memcpy and memset for the firmware. picolibc's versions for this multilib move one
 * byte at a time; every world switch copies the register file several times and boot
 * clears all of confidential memory, so word moves pay. Linked before libc.a, these
 * definitions win; memmove and memcmp still come from picolibc.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

typedef uint64_t __attribute__((may_alias)) word_t;
#define WORD sizeof(word_t)

void *memcpy(void *restrict dst, const void *restrict src, size_t n)
{
	unsigned char *d = dst;
	const unsigned char *s = src;
	if ((((uintptr_t)d ^ (uintptr_t)s) & (WORD - 1)) == 0) {
		while (n && ((uintptr_t)d & (WORD - 1))) {
			*d++ = *s++;
			n--;
		}
		word_t *dw = (word_t *)d;
		const word_t *sw = (const word_t *)s;
		for (; n >= 4 * WORD; n -= 4 * WORD, dw += 4, sw += 4) {
			dw[0] = sw[0];
			dw[1] = sw[1];
			dw[2] = sw[2];
			dw[3] = sw[3];
		}
		for (; n >= WORD; n -= WORD)
			*dw++ = *sw++;
		d = (unsigned char *)dw;
		s = (const unsigned char *)sw;
	}
	while (n--)
		*d++ = *s++;
	return dst;
}

void *memset(void *dst, int c, size_t n)
{
	unsigned char *d = dst;
	while (n && ((uintptr_t)d & (WORD - 1))) {
		*d++ = (unsigned char)c;
		n--;
	}
	word_t v = (unsigned char)c * 0x0101010101010101ULL;
	word_t *dw = (word_t *)d;
	for (; n >= 4 * WORD; n -= 4 * WORD, dw += 4) {
		dw[0] = v;
		dw[1] = v;
		dw[2] = v;
		dw[3] = v;
	}
	for (; n >= WORD; n -= WORD)
		*dw++ = v;
	d = (unsigned char *)dw;
	while (n--)
		*d++ = (unsigned char)c;
	return dst;
}
