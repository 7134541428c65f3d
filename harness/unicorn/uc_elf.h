/* The firmware ELF as the Unicorn harness needs it: loadable segments and symbols. */
#ifndef UC_ELF_H
#define UC_ELF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct uc_elf {
	uint8_t *data;
	size_t size;
	uint64_t entry;
	uint64_t text_start, text_end; /* the .text section */
	uint64_t data_start;           /* lowest writable allocated section */
};

bool uc_elf_open(struct uc_elf *e, const char *path, char *err, size_t errcap);
/* Calls put(addr, bytes, filesz, memsz) for each PT_LOAD segment; false if put fails. */
bool uc_elf_segments(const struct uc_elf *e,
		     bool (*put)(void *ctx, uint64_t addr, const void *bytes, uint64_t filesz, uint64_t memsz),
		     void *ctx);
/* Address and size of a symbol; false if it is not there. */
bool uc_elf_symbol(const struct uc_elf *e, const char *name, uint64_t *addr, uint64_t *size);
/* Calls fn for every function symbol. */
void uc_elf_functions(const struct uc_elf *e,
		      void (*fn)(void *ctx, uint64_t addr, uint64_t size, const char *name), void *ctx);

#endif
