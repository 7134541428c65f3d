/* A minimal ELF64 little-endian reader: enough for a statically linked firmware. */
#include "uc_elf.h"

#include <elf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static bool in_file(const struct uc_elf *e, uint64_t off, uint64_t len)
{
	return off <= e->size && len <= e->size - off;
}

static const Elf64_Shdr *section(const struct uc_elf *e, unsigned i)
{
	const Elf64_Ehdr *h = (const Elf64_Ehdr *)e->data;
	return (const Elf64_Shdr *)(e->data + h->e_shoff + (uint64_t)i * h->e_shentsize);
}

bool uc_elf_open(struct uc_elf *e, const char *path, char *err, size_t errcap)
{
	memset(e, 0, sizeof(*e));
	FILE *f = fopen(path, "rb");
	if (!f) {
		snprintf(err, errcap, "cannot open %s", path);
		return false;
	}
	fseek(f, 0, SEEK_END);
	long n = ftell(f);
	fseek(f, 0, SEEK_SET);
	e->data = n > 0 ? malloc((size_t)n) : NULL;
	if (!e->data || fread(e->data, 1, (size_t)n, f) != (size_t)n) {
		fclose(f);
		snprintf(err, errcap, "cannot read %s", path);
		return false;
	}
	fclose(f);
	e->size = (size_t)n;
	const Elf64_Ehdr *h = (const Elf64_Ehdr *)e->data;
	if (e->size < sizeof(*h) || memcmp(h->e_ident, ELFMAG, SELFMAG) != 0 ||
	    h->e_ident[EI_CLASS] != ELFCLASS64 || h->e_ident[EI_DATA] != ELFDATA2LSB ||
	    h->e_machine != EM_RISCV || h->e_phentsize != sizeof(Elf64_Phdr) ||
	    h->e_shentsize != sizeof(Elf64_Shdr) ||
	    !in_file(e, h->e_phoff, (uint64_t)h->e_phnum * sizeof(Elf64_Phdr)) ||
	    !in_file(e, h->e_shoff, (uint64_t)h->e_shnum * sizeof(Elf64_Shdr)) ||
	    h->e_shstrndx >= h->e_shnum) {
		snprintf(err, errcap, "%s is not a 64-bit little-endian RISC-V ELF", path);
		return false;
	}
	e->entry = h->e_entry;
	const Elf64_Shdr *strs = section(e, h->e_shstrndx);
	for (unsigned i = 0; i < h->e_shnum; i++) {
		const Elf64_Shdr *s = section(e, i);
		if ((s->sh_flags & (SHF_ALLOC | SHF_WRITE)) == (SHF_ALLOC | SHF_WRITE) && s->sh_size &&
		    (!e->data_start || s->sh_addr < e->data_start))
			e->data_start = s->sh_addr;
		if (!in_file(e, strs->sh_offset + s->sh_name, 6))
			continue;
		if (strcmp((const char *)e->data + strs->sh_offset + s->sh_name, ".text") == 0) {
			e->text_start = s->sh_addr;
			e->text_end = s->sh_addr + s->sh_size;
		}
	}
	if (!e->text_end) {
		snprintf(err, errcap, "%s has no .text", path);
		return false;
	}
	return true;
}

bool uc_elf_segments(const struct uc_elf *e,
		     bool (*put)(void *ctx, uint64_t addr, const void *bytes, uint64_t filesz, uint64_t memsz),
		     void *ctx)
{
	const Elf64_Ehdr *h = (const Elf64_Ehdr *)e->data;
	for (unsigned i = 0; i < h->e_phnum; i++) {
		const Elf64_Phdr *p = (const Elf64_Phdr *)(e->data + h->e_phoff + (uint64_t)i * sizeof(*p));
		if (p->p_type != PT_LOAD)
			continue;
		if (!in_file(e, p->p_offset, p->p_filesz) || p->p_filesz > p->p_memsz ||
		    !put(ctx, p->p_paddr, e->data + p->p_offset, p->p_filesz, p->p_memsz))
			return false;
	}
	return true;
}

static const Elf64_Shdr *symtab(const struct uc_elf *e, const Elf64_Shdr **strtab)
{
	const Elf64_Ehdr *h = (const Elf64_Ehdr *)e->data;
	for (unsigned i = 0; i < h->e_shnum; i++) {
		const Elf64_Shdr *s = section(e, i);
		if (s->sh_type == SHT_SYMTAB && s->sh_link < h->e_shnum &&
		    in_file(e, s->sh_offset, s->sh_size)) {
			*strtab = section(e, s->sh_link);
			return s;
		}
	}
	return NULL;
}

bool uc_elf_symbol(const struct uc_elf *e, const char *name, uint64_t *addr, uint64_t *size)
{
	const Elf64_Shdr *strtab, *st = symtab(e, &strtab);
	if (!st)
		return false;
	const Elf64_Sym *syms = (const Elf64_Sym *)(e->data + st->sh_offset);
	for (uint64_t i = 0; i < st->sh_size / sizeof(Elf64_Sym); i++) {
		if (!in_file(e, strtab->sh_offset + syms[i].st_name, strlen(name) + 1))
			continue;
		if (strcmp((const char *)e->data + strtab->sh_offset + syms[i].st_name, name) == 0 &&
		    syms[i].st_shndx != SHN_UNDEF) {
			*addr = syms[i].st_value;
			if (size)
				*size = syms[i].st_size;
			return true;
		}
	}
	return false;
}

void uc_elf_functions(const struct uc_elf *e,
		      void (*fn)(void *ctx, uint64_t addr, uint64_t size, const char *name), void *ctx)
{
	const Elf64_Shdr *strtab, *st = symtab(e, &strtab);
	if (!st)
		return;
	const Elf64_Sym *syms = (const Elf64_Sym *)(e->data + st->sh_offset);
	for (uint64_t i = 0; i < st->sh_size / sizeof(Elf64_Sym); i++)
		if (ELF64_ST_TYPE(syms[i].st_info) == STT_FUNC && syms[i].st_shndx != SHN_UNDEF &&
		    in_file(e, strtab->sh_offset + syms[i].st_name, 1))
			fn(ctx, syms[i].st_value, syms[i].st_size,
			   (const char *)e->data + strtab->sh_offset + syms[i].st_name);
}
