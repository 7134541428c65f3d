/*
 * Helpers for reading the catalogs (attacks.def, oracles.def) from C, hosted or
 * freestanding: nothing here needs a library.
 *
 * CATALOG_IF_HOST(backends, yes, no) is `yes` when an attack row's backends include the
 * host library, else `no`; CATALOG_IF_QEMU the same for the QEMU payload. To emit a row
 * only for one backend, select a macro name and apply it:
 *   CATALOG_IF_QEMU(backends, MY_ROW, CATALOG_NOTHING)(sym, id)
 */
#ifndef CATALOG_CATALOG_H
#define CATALOG_CATALOG_H

#define CATALOG_NOTHING(...)

#define CATALOG_IF_HOST(backends, yes, no) CATALOG_IF_HOST_##backends(yes, no)
#define CATALOG_IF_HOST_HOST_QEMU(yes, no) yes
#define CATALOG_IF_HOST_HOST(yes, no) yes
#define CATALOG_IF_HOST_QEMU(yes, no) no

#define CATALOG_IF_QEMU(backends, yes, no) CATALOG_IF_QEMU_##backends(yes, no)
#define CATALOG_IF_QEMU_HOST_QEMU(yes, no) yes
#define CATALOG_IF_QEMU_HOST(yes, no) no
#define CATALOG_IF_QEMU_QEMU(yes, no) yes

#endif
