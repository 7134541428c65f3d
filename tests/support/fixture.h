/* A booted monitor on the hardware model, restored to the same state before each test. */
#ifndef TESTS_FIXTURE_H
#define TESTS_FIXTURE_H

#include "invariants.h"
#include "model.h"
#include "scenario.h"

int fixture_group_setup(void **state);
int fixture_group_teardown(void **state);
int fixture_reset(void **state);

/* cmocka assertion that every invariant holds, printing the violation if not. */
#define assert_invariants_hold()                                                          \
	do {                                                                              \
		struct inv_violation v_;                                                  \
		bool ok_ = inv_check_all(&v_);                                            \
		if (!ok_)                                                                 \
			print_error("invariant %s: %s\n", v_.invariant, v_.detail);       \
		assert_true(ok_);                                                         \
	} while (0)

#define HV_CALL(h, eid, fid, ...) hv_ecall((h), (eid), (fid), __VA_ARGS__)

#endif
