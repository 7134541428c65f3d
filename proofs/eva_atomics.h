/*
 * EVA analyses one hart at a time, so the GCC atomic builtins the monitor uses are
 * given their single-threaded meaning here (Frama-C 25 does not know them). Pre-included
 * by proofs/eva.sh, and by proofs/prove.sh through phys_model.h (WP proves one hart too);
 * what runs on other harts meanwhile is out of scope (proofs.md).
 */
#ifndef PROOFS_EVA_ATOMICS_H
#define PROOFS_EVA_ATOMICS_H
#define __atomic_load_n(p, o) (*(p))
#define __atomic_store_n(p, v, o) ((void)(*(p) = (v)))
#define __atomic_exchange_n(p, v, o) \
	({ __typeof__(*(p)) eva_old_ = *(p); *(p) = (v); eva_old_; })
#define __atomic_fetch_or(p, v, o) \
	({ __typeof__(*(p)) eva_old_ = *(p); *(p) |= (v); eva_old_; })
#define __atomic_compare_exchange_n(p, e, d, w, s, f) \
	({ int eva_ok_ = *(p) == *(e); if (eva_ok_) *(p) = (d); else *(e) = *(p); eva_ok_; })
#endif
