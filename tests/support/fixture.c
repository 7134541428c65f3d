#include "cmocka_prelude.h"

#include "fixture.h"

int fixture_group_setup(void **state)
{
	(void)state;
	model_init(&model_default_config);
	model_snapshot();
	return 0;
}

int fixture_group_teardown(void **state)
{
	(void)state;
	model_fini();
	return 0;
}

int fixture_reset(void **state)
{
	(void)state;
	model_restore();
	vm_pool_reset();
	return 0;
}
